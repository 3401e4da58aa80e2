"""Public event pages (calendar, registration, confirmation, ticket, certificates, feedback) and the office's
pages (attendees, approval, check-in, results, export)."""

from __future__ import annotations

import io

import segno
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from projectoffice.accounts.http import acting_user, error_text, require
from projectoffice.events import exports, rules, selectors, services
from projectoffice.events.calendars import ics
from projectoffice.events.certificates import certificate_pdf
from projectoffice.events.forms import FeedbackForm, RegistrationForm
from projectoffice.events.models import Certificate, Event, EventStatus, Feedback, Registration, RegistrationStatus


def _event(request: HttpRequest, slug: str) -> Event:
    event = Event.objects.filter(slug=slug).first()
    if event is None or not rules.can_view(request.user, event):
        raise Http404
    return event


def event_list(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    public = Event.objects.exclude(status=EventStatus.DRAFT).prefetch_related("sessions")
    return render(
        request,
        "events/list.html",
        {
            "upcoming": public.filter(ends_at__gte=now).order_by("starts_at"),
            "past": public.filter(ends_at__lt=now).order_by("-starts_at")[:30],
        },
    )


def event_detail(request: HttpRequest, slug: str) -> HttpResponse:
    event = _event(request, slug)
    form = RegistrationForm(request.POST or None, event=event)
    if request.method == "POST":
        if rules.REGISTRATION_LIMIT.refused(request):
            return render(
                request,
                "events/detail.html",
                {
                    "event": event,
                    "form": form,
                    "open": True,
                    "error": rules.REGISTRATION_LIMIT.refusal,
                },
                status=429,
            )
        if form.is_valid():
            try:
                services.registration_create(
                    event=event,
                    email=form.cleaned_data["email"],
                    full_name=form.cleaned_data["full_name"],
                    organisation_name=form.cleaned_data["organisation_name"],
                    phone=form.cleaned_data["phone"],
                    answers=form.answers(),
                    sessions=form.cleaned_data.get("sessions") or [],
                )
            except services.RegistrationError as exc:
                form.add_error("email", str(exc))
            except ValidationError as exc:  # the answers, checked again by the service: same rules as the fields
                for key, messages in exc.message_dict.items():
                    form.add_error(key if key in form.fields else None, messages)
            else:
                rules.REGISTRATION_LIMIT.hit(request)
                return render(request, "events/check_email.html", {"event": event, "email": form.cleaned_data["email"]})
    context = {
        "event": event,
        "form": form,
        "open": services.registration_open(event),
        "sessions": event.sessions.prefetch_related("speakers"),
        "seats_left": event.seats_left,
        "can_manage": rules.can_manage(request.user),
        "can_see_results": rules.can_see_results(request.user),
    }
    return render(request, "events/detail.html", context)


def confirm(request: HttpRequest, token: str) -> HttpResponse:
    try:
        registration = services.registration_confirm(token)
    except services.RegistrationError as exc:
        return render(request, "events/message.html", {"title": "Ссылка не сработала", "text": str(exc)}, status=400)
    return render(request, "events/confirmed.html", {"registration": registration})


def cancel(request: HttpRequest, token: str) -> HttpResponse:
    try:
        registration = services.unsign(token, services.CANCEL_SALT)
    except services.RegistrationError as exc:
        return render(request, "events/message.html", {"title": "Ссылка не сработала", "text": str(exc)}, status=400)
    if request.method == "POST":
        registration = services.registration_cancel(token)
        return render(
            request,
            "events/message.html",
            {"title": "Регистрация отменена", "text": f"Вы отменили регистрацию на «{registration.event}»."},
        )
    return render(request, "events/cancel.html", {"registration": registration})


def ticket(request: HttpRequest, code: str) -> HttpResponse:
    registration = Registration.objects.select_related("event").filter(ticket_code=code.upper()).first()
    if registration is None or registration.status != RegistrationStatus.CONFIRMED:
        raise Http404
    qr = segno.make(registration.ticket_code, error="m")
    buffer = io.BytesIO()
    qr.save(buffer, kind="svg", scale=8, border=2, omitsize=True)  # a viewBox, so CSS sizes it
    return render(request, "events/ticket.html", {"registration": registration, "qr_svg": buffer.getvalue().decode()})


def event_ics(request: HttpRequest, slug: str) -> HttpResponse:
    event = _event(request, slug)
    response = HttpResponse(ics([event]), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{event.slug}.ics"'
    return response


def feed_ics(request: HttpRequest) -> HttpResponse:
    events = Event.objects.exclude(status=EventStatus.DRAFT).prefetch_related("sessions").order_by("starts_at")
    return HttpResponse(ics(events), content_type="text/calendar; charset=utf-8")


def certificate_verify(request: HttpRequest, code: str) -> HttpResponse:
    certificate = Certificate.objects.select_related("registration__event").filter(code=code.upper()).first()
    return render(
        request,
        "events/certificate.html",
        {"certificate": certificate, "code": code},
        status=200 if certificate else 404,
    )


def certificate_download(request: HttpRequest, code: str) -> HttpResponse:
    certificate = get_object_or_404(Certificate.objects.select_related("registration__event"), code=code.upper())
    response = HttpResponse(certificate_pdf(certificate), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="certificate-{certificate.code}.pdf"'
    return response


def feedback(request: HttpRequest, token: str) -> HttpResponse:
    try:
        registration = services.unsign(token, services.FEEDBACK_SALT)
    except services.RegistrationError as exc:
        return render(request, "events/message.html", {"title": "Ссылка не сработала", "text": str(exc)}, status=400)
    form = FeedbackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.feedback_submit(token=token, **form.cleaned_data)
        except (services.RegistrationError, ValidationError) as exc:
            return render(
                request,
                "events/message.html",
                {"title": "Отзыв", "text": error_text(exc)},
            )
        return render(request, "events/message.html", {"title": "Спасибо!", "text": "Ваш отзыв получен."})
    return render(request, "events/feedback.html", {"form": form, "registration": registration})


@require(rules.can_manage)
def attendees(request: HttpRequest, slug: str) -> HttpResponse:
    event = _event(request, slug)
    registrations = event.registrations.prefetch_related("checkins").order_by("status", "created_at")
    return render(request, "events/attendees.html", {"event": event, "registrations": registrations})


@require_POST
@require(rules.can_manage)
def decide(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    event = _event(request, slug)
    registration = get_object_or_404(Registration, pk=pk, event=event)
    try:
        services.registration_decide(
            actor=acting_user(request), registration=registration, approve=request.POST.get("approve") == "1"
        )
    except services.RegistrationError as exc:
        messages.error(request, str(exc))
    return redirect("events:attendees", slug=slug)


@require(rules.can_manage)
def attendees_xlsx(request: HttpRequest, slug: str) -> HttpResponse:
    event = _event(request, slug)
    response = HttpResponse(
        exports.attendees_xlsx(event), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{event.slug}-attendees.xlsx"'
    return response


@require(rules.can_manage)
def checkin(request: HttpRequest, slug: str) -> HttpResponse:
    event = _event(request, slug)
    result = None
    found: list[Registration] = []
    session = event.sessions.filter(pk=request.POST.get("session") or request.GET.get("session") or 0).first()
    if request.method == "POST":
        result = services.check_in(
            actor=acting_user(request), event=event, code=request.POST.get("code", "")[:32], session=session
        )
    elif request.GET.get("q"):
        query = request.GET["q"].strip()[:100]
        found = list(event.registrations.filter(status=RegistrationStatus.CONFIRMED, full_name__icontains=query)[:20])
        if not found:
            found = [
                r
                for r in event.registrations.filter(status=RegistrationStatus.CONFIRMED)
                if query.casefold() in r.full_name.casefold()
            ][:20]
    context = {
        "event": event,
        "result": result,
        "found": found,
        "session": session,
        "sessions": event.sessions.all(),
        "checked": selectors.checked_in_count(event, session),
        "confirmed": event.registrations.filter(status=RegistrationStatus.CONFIRMED).count(),
    }
    # After a scan htmx gets the verdict and, out of band, the counter it changed.
    template = "events/_checkin_answer.html" if request.htmx and request.method == "POST" else "events/checkin.html"  # type: ignore[attr-defined]
    return render(request, template, context)


@require(rules.can_see_results)
def results(request: HttpRequest, slug: str) -> HttpResponse:
    event = _event(request, slug)
    if request.method == "POST" and rules.can_manage(request.user):
        issued = services.issue_certificates(event=event)
        messages.success(request, f"Сертификатов выдано: {len(issued)}.")
        return redirect("events:results", slug=slug)
    counts = {status.label: event.registrations.filter(status=status).count() for status in RegistrationStatus}
    context = {
        "event": event,
        "scores": selectors.feedback_scores(event),
        "counts": counts,
        "attended": event.registrations.filter(checkins__isnull=False).distinct().count(),
        "comments": list(
            Feedback.objects.filter(registration__event=event)
            .exclude(comment="")
            .values_list("comment", flat=True)[:50]
        ),
        "certificates": Certificate.objects.filter(registration__event=event).count(),
        "sessions": [(s, s.checkins.count()) for s in event.sessions.all()],
    }
    return render(request, "events/results.html", context)
