"""A labelled set of sentences for the claim checks (stories/claims.py), written for the demo
desk's record, read on September 25, 2024 about OpenAI.

Each entry: the sentence, the quote's speaker (or None for a story's text), the label
("false": a claim the record contradicts, to be flagged; "true": a claim the record bears
out; "neutral": nothing to check), and the kind of claim. Precision and recall are measured
over the "false" ones (stories/tests/test_claims.py); the figures are in the README.
"""

FALSE, TRUE, NEUTRAL = "false", "true", "neutral"

LABELLED = [
    # Durations, English --------------------------------------------------------------------
    ("I am grateful for my eight years at OpenAI.", "Bob McGrew", FALSE, "duration"),
    ("Bob McGrew spent 8 years at OpenAI.", None, FALSE, "duration"),
    ("After nearly eight years at OpenAI, I am leaving.", "Bob McGrew", TRUE, "duration"),
    ("Bob McGrew spent more than seven years at OpenAI.", None, TRUE, "duration"),
    ("Mira Murati spent six and a half years at OpenAI.", None, TRUE, "duration"),
    ("Mira Murati had been at OpenAI for six years.", None, TRUE, "duration"),
    ("Mira Murati leaves after eight years at OpenAI.", None, FALSE, "duration"),
    ("Mira Murati worked at OpenAI for five years.", None, FALSE, "duration"),
    ("My six and a half years here were a gift.", "Mira Murati", TRUE, "duration"),
    ("Barret Zoph spent two years at OpenAI.", None, TRUE, "duration"),
    ("Barret Zoph spent five years at OpenAI.", None, FALSE, "duration"),
    ("Mark Chen has worked at OpenAI for six years.", None, TRUE, "duration"),
    ("Mark Chen has been at OpenAI for 10 years.", None, FALSE, "duration"),
    ("Jakub Pachocki has been at OpenAI for about seven years.", None, TRUE, "duration"),
    ("Jakub Pachocki, at OpenAI for three years, takes over.", None, FALSE, "duration"),
    ("Matt Knight has spent four years at OpenAI.", None, TRUE, "duration"),
    ("Matt Knight has spent ten years at OpenAI.", None, FALSE, "duration"),
    ("Ilya Sutskever left after eight and a half years at OpenAI.", None, TRUE, "duration"),
    ("Ilya Sutskever left after ten years at OpenAI.", None, FALSE, "duration"),
    ("Sam Altman has led OpenAI for five years.", None, TRUE, "duration"),
    # Durations, Japanese -------------------------------------------------------------------
    ("ボブ・マグルーはOpenAIで8年間働いた。", None, FALSE, "duration"),
    ("私はOpenAIで八年を過ごした。", "Bob McGrew", FALSE, "duration"),
    ("ボブ・マグルーはOpenAIに約7年半いた。", None, TRUE, "duration"),
    ("ミラ・ムラティはOpenAIに6年半在籍した。", None, TRUE, "duration"),
    ("ミラ・ムラティはOpenAIに八年在籍した。", None, FALSE, "duration"),
    ("OpenAIでの6年半に感謝します。", "Mira Murati", TRUE, "duration"),
    ("マーク・チェンはOpenAIで6年働いている。", None, TRUE, "duration"),
    ("バレット・ゾフはOpenAIに十年いた。", None, FALSE, "duration"),
    ("マット・ナイトはOpenAIで4年間セキュリティを率いてきた。", None, TRUE, "duration"),
    # Counts, English -----------------------------------------------------------------------
    ("Fifteen executives left OpenAI in six months.", None, FALSE, "count"),
    ("15 key people left OpenAI in six months.", None, FALSE, "count"),
    ("More than 10 executives have left OpenAI this year.", None, FALSE, "count"),
    ("Six executives left OpenAI in six months.", None, TRUE, "count"),
    ("At least five people have left OpenAI this year.", None, TRUE, "count"),
    ("Eight people left OpenAI in the past year.", None, TRUE, "count"),
    ("Three executives left OpenAI in the last year.", None, FALSE, "count"),
    ("Two leaders left OpenAI in 2021.", None, TRUE, "count"),
    ("Ten researchers left OpenAI in 2021.", None, FALSE, "count"),
    ("OpenAI saw six departures in six months.", None, TRUE, "count"),
    ("OpenAI saw twenty departures in six months.", None, FALSE, "count"),
    # Counts, Japanese ----------------------------------------------------------------------
    ("今年、OpenAIから10人以上が退社した。", None, FALSE, "count"),
    ("半年で15人の幹部がOpenAIを去った。", None, FALSE, "count"),
    ("この半年でOpenAIから6人が退社した。", None, TRUE, "count"),
    ("2021年にOpenAIを2人が離れた。", None, TRUE, "count"),
    ("今年5人以上がOpenAIを退社した。", None, TRUE, "count"),
    ("6か月で十五人がOpenAIを辞めた。", None, FALSE, "count"),
    # Titles, English -----------------------------------------------------------------------
    ("CIO Matt Knight leads security.", None, FALSE, "title"),
    ("CISO Matt Knight leads security.", None, TRUE, "title"),
    ("Matt Knight, chief information officer, said so.", None, FALSE, "title"),
    ("Matt Knight, chief information security officer, said so.", None, TRUE, "title"),
    ("The announcement named Matt Knight chief information officer.", None, FALSE, "title"),
    ("CEO Sam Altman announced the changes.", None, TRUE, "title"),
    ("CTO Sam Altman announced the changes.", None, FALSE, "title"),
    ("President Greg Brockman was thanked.", None, TRUE, "title"),
    ("Greg Brockman, OpenAI's CEO, was thanked.", None, FALSE, "title"),
    ("Chief Scientist Jakub Pachocki will co-lead research.", None, TRUE, "title"),
    ("Jakub Pachocki, chief technology officer, will co-lead research.", None, FALSE, "title"),
    ("Chief Strategy Officer Jason Kwon praised Mira.", None, TRUE, "title"),
    ("Jason Kwon, chief research officer, praised Mira.", None, FALSE, "title"),
    # Titles, Japanese ----------------------------------------------------------------------
    ("最高情報責任者のマット・ナイトが語った。", None, FALSE, "title"),
    ("最高情報セキュリティ責任者のマット・ナイトが語った。", None, TRUE, "title"),
    ("マット・ナイト最高情報責任者が就任した。", None, FALSE, "title"),
    ("最高経営責任者のサム・アルトマンが発表した。", None, TRUE, "title"),
    ("最高技術責任者のサム・アルトマンが発表した。", None, FALSE, "title"),
    # Nothing to check ----------------------------------------------------------------------
    ("OpenAI was founded in December 2015.", None, NEUTRAL, ""),
    ("Bob McGrew joined OpenAI in January 2017.", None, NEUTRAL, ""),
    ("Sam Altman said the decisions were made independently and amicably.", None, NEUTRAL, ""),
    ("Barret Zoph built the post-training team.", None, NEUTRAL, ""),
    ("Five years ago, Mira Murati joined OpenAI.", None, NEUTRAL, ""),
    ("The 10-year-old lab keeps growing.", None, NEUTRAL, ""),
    ("OpenAI hired 200 people this year.", None, NEUTRAL, ""),
    ("Two people familiar with the matter confirmed it.", None, NEUTRAL, ""),
    ("Mark Chen will lead research as SVP.", None, NEUTRAL, ""),
    ("Jan Leike left in May.", None, NEUTRAL, ""),
    ("ボブ・マグルーは2017年1月に入社した。", None, NEUTRAL, ""),
    ("サム・アルトマンは2019年にCEOに就任した。", None, NEUTRAL, ""),
    ("十年前、ミラ・ムラティはまだOpenAIにいなかった。", None, NEUTRAL, ""),
    ("It is time for a break.", "Bob McGrew", NEUTRAL, ""),
    ("Matt Knight leads security at OpenAI.", None, NEUTRAL, ""),
    # Hard cases, kept to measure honestly ---------------------------------------------------
    # The duration is Mira's, but only Sam Altman's name is one the desk knows here.
    ("Sam Altman thanked Mira for six and a half years of work.", None, TRUE, "duration"),
]
