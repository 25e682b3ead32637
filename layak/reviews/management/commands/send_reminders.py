"""`python manage.py send_reminders [--now]`: today's reminder e-mails (deadlines in 7/3/1 days, revisions).

Run it daily (cron or a systemd timer): it enqueues the job for a worker; `--now` sends in this process instead.
Sending twice the same day sends nothing more (one e-mail per person, event and day).
"""

from django.core.management.base import BaseCommand

from layak.reviews.reminders import reminders_send, send_reminders_task


class Command(BaseCommand):
    help = "Sends today's reminder e-mails (deadlines, revisions requested and due), once per person and day."

    def add_arguments(self, parser):
        parser.add_argument("--now", action="store_true", help="Send in this process instead of enqueuing a job.")

    def handle(self, *args, now=False, **options):
        if now:
            sent = reminders_send()
            self.stdout.write(f"Reminders sent: {sent}")
            return
        result = send_reminders_task.enqueue()
        self.stdout.write(f"Reminder job enqueued ({result.id}).")
