"""E-mails about applications sent while someone acts (console e-mail in the embedded default)."""

from __future__ import annotations

from django.core.mail import send_mail
from django.urls import reverse

from projectoffice.applications.models import ExpertAssignment
from projectoffice.lib.links import absolute_url


def expert_assigned(assignment: ExpertAssignment) -> None:
    """Tells the expert what to review, by when, and that the declaration of no conflict comes first."""
    expert, application = assignment.expert, assignment.application
    if not expert.email:
        return
    deadline = f"\nСрок подачи заявки: {application.deadline:%d.%m.%Y}." if application.deadline else ""
    send_mail(
        subject=f"Вам назначена экспертиза заявки: {application.project.title}",
        message=(
            f"Здравствуйте, {expert.display_name}!\n\n"
            f"Проектный офис назначил вас экспертом заявки «{application.project.title}» "
            f"({application.project.lead_organisation}) в «{application.opportunity.title}».{deadline}\n\n"
            "Перед оценкой подтвердите на странице экспертизы, что у вас нет конфликта интересов; "
            "там же текст заявки и критерии оценки:\n"
            f"{absolute_url(reverse('applications:review', args=[application.pk]))}"
        ),
        from_email=None,
        recipient_list=[expert.email],
    )
