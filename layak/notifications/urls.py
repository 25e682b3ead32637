from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("", views.notification_list, name="notification_list"),
    path("read-all/", views.notification_read_all, name="notification_read_all"),
    path("<int:pk>/", views.notification_open, name="notification_open"),
    path("email/", views.email_reminders_set, name="email_reminders_set"),
]
