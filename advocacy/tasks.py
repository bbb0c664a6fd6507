from celery import shared_task


@shared_task
def notify_input_opened(position_id):
    """Written with the member staff pages: emails member staff that a position is open for
    their input."""
