from django.http import HttpResponse


def person_list(request):
    return HttpResponse("")


person_detail = organization_list = organization_detail = person_list
