from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    """Satisfaction ratings (đánh giá mức độ hài lòng) after a result is handed over, online
    or recorded from a paper slip; citizen feedback (phản ánh, kiến nghị) comes next."""

    name = "feedback"
    verbose_name = "Đánh giá, phản ánh"
