app_name = "taskforces"

urlpatterns: list = []
