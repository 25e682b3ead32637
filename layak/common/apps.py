from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "layak.common"
    label = "common"
