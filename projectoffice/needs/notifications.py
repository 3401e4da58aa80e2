"""E-mails of the needs flow (console e-mail in the embedded default): confirmation, the private status link, and
the introductions — the expert or IT company first sees the need without the enterprise's contacts; once it takes
the need, both sides get each other's contacts."""

from __future__ import annotations

from django.core.mail import EmailMessage
from django.urls import reverse

from projectoffice.lib.links import absolute_url
from projectoffice.needs.models import IntakeRequest, Match, MatchKind


def _url(name: str, *args: object) -> str:
    return absolute_url(reverse(name, args=args))


def _send(to: list[str], subject: str, body: str) -> None:
    recipients = [address for address in to if address]
    if recipients:
        EmailMessage(subject=subject, body=body, to=recipients).send()


def confirmation(request: IntakeRequest, token: str) -> None:
    _send(
        [request.contact_email],
        "Подтвердите обращение в проектный офис",
        f"Здравствуйте, {request.contact_name}!\n\nВы описали задачу цифровизации предприятия "
        f"«{request.organisation_name or request.inn}». Чтобы мы взялись за неё, подтвердите адрес:\n"
        f"{_url('needs:confirm', token)}\n\nЕсли вы не заполняли форму, просто проигнорируйте письмо.",
    )


def status_link(request: IntakeRequest, token: str) -> None:
    _send(
        [request.contact_email],
        "Ваше обращение принято",
        f"Здравствуйте, {request.contact_name}!\n\nОбращение №{request.pk} принято. Сотрудник офиса свяжется с вами, "
        f"уточнит задачу и подберёт экспертов, ИТ-решения и меры поддержки.\n\n"
        f"Следить за обращением: {_url('needs:status', token)}\n(ссылка личная, не пересылайте её).",
    )


def recipients(match: Match) -> list[str]:
    """Who receives a match: the expert; the IT company's contacts and members; the institution's experts."""
    if match.kind == MatchKind.EXPERT and match.expert:
        return [match.expert.user.email]
    if match.kind == MatchKind.SOLUTION and match.solution:
        vendor = match.solution.vendor
        members = [m.user.email for m in vendor.memberships.select_related("user")]
        return [vendor.email, *members]
    if match.kind == MatchKind.INSTITUTION and match.institution:
        experts = [e.user.email for e in match.institution.experts.select_related("user").filter(is_active=True)]
        return [match.institution.email, *experts]
    return []


def sent(match: Match) -> None:
    """To the target: the need without the enterprise's contacts (they come once the need is taken)."""
    need = match.need
    target = f" (решение «{match.solution}»)" if match.solution else ""
    _send(
        recipients(match),
        f"Новая потребность предприятия: {need.subject.name}",
        f"Проектный офис направил вам потребность предприятия{target}.\n\n"
        f"Предмет: {need.subject}\nОтрасль и территория: {need.municipality or 'Самарская область'}\n\n"
        f"{need.description}\n\nКонтакты предприятия откроются, когда вы возьмёте потребность в работу: "
        f"{_url('needs:match', match.pk)}\nЕсли это не ваш профиль — отметьте это там же, с причиной.",
    )


def taken(match: Match) -> None:
    """Both sides: the enterprise learns who took its need and how to reach them; the taker gets the contacts."""
    need = match.need
    request = need.request
    who = str(match.target)
    taker = match.taken_by
    taker_contact = f"{taker.display_name}, {taker.email}" if taker else who
    _send(
        [request.contact_email],
        "Вашей задачей занялись",
        f"Здравствуйте, {request.contact_name}!\n\nПотребностью «{need}» занимается {who}. Контакт: {taker_contact}.\n"
        f"Он свяжется с вами в ближайшие дни.",
    )
    _send(
        [taker.email] if taker else recipients(match),
        f"Контакты предприятия: {need.organisation}",
        f"Вы взяли в работу потребность «{need}».\n\nПредприятие: {need.organisation} (ИНН {need.organisation.inn})\n"
        f"Контакт: {request.contact_name}, {request.contact_position or 'должность не указана'}\n"
        f"Эл. почта: {request.contact_email}\nТелефон: {request.contact_phone or 'не указан'}\n\n"
        f"Когда закончите, закройте отправку: {_url('needs:match', match.pk)}",
    )
