"""Pages of a project's bilingual materials and of its data room."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST

from projectoffice.accounts.http import acting_user, form_errors_text
from projectoffice.accounts.rules import is_staff
from projectoffice.lib import formats
from projectoffice.lib.clients import client_ip
from projectoffice.materials import documents, rules, selectors, services
from projectoffice.materials.forms import InvitationForm, NdaForm, RoomDocumentForm, SectionForm
from projectoffice.materials.models import SECTIONS, DataRoom, Document, Invitation, Lang, RoomDocument, SectionKey
from projectoffice.materials.readiness import sections_of
from projectoffice.materials.watermark import watermark
from projectoffice.projects.models import Project

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _error_text(exc: ValidationError) -> str:
    return " ".join(exc.messages)


def _project(request: HttpRequest, pk: int) -> Project:
    """The project, or 404 when the user may not read its materials (no existence leak)."""
    if not request.user.is_authenticated:
        raise PermissionDenied
    project = get_object_or_404(Project.objects.select_related("lead_organisation"), pk=pk)
    if not rules.can_view_materials(request.user, project):
        raise Http404
    return project


def _login(request: HttpRequest) -> HttpResponse | None:
    if not request.user.is_authenticated:
        return redirect(f"{reverse('login')}?next={request.path}")
    return None


def project_materials(request: HttpRequest, pk: int) -> HttpResponse:
    if response := _login(request):
        return response
    project = _project(request, pk)
    room = DataRoom.objects.filter(project=project).first()
    context = {
        "project": project,
        "can_edit": rules.can_edit_materials(request.user, project),
        "can_manage_room": rules.can_manage_room(request.user, project),
        "room": room,
        **selectors.overview(project),
    }
    return render(request, "materials/project.html", context)


def section_edit(request: HttpRequest, pk: int, document: str, key: str) -> HttpResponse:
    if response := _login(request):
        return response
    project = _project(request, pk)
    if not rules.can_edit_materials(request.user, project):
        raise PermissionDenied
    if document not in Document.values or key not in SECTIONS[Document(document)]:
        raise Http404
    found = sections_of(project)
    ru, en = found.get((document, key, Lang.RU)), found.get((document, key, Lang.EN))
    forms = {
        Lang.RU: SectionForm(prefix="ru", initial={"text": ru.text if ru else ""}),
        Lang.EN: SectionForm(prefix="en", initial={"text": en.text if en else "",
                                                   "translates_version": ru.version if ru else None}),
    }  # fmt: skip
    if request.method == "POST":
        lang = request.POST.get("lang", "")
        if lang not in Lang.values:
            raise Http404
        form = SectionForm(request.POST, prefix=lang)
        forms[Lang(lang)] = form
        if form.is_valid():
            try:
                section = services.section_save(
                    actor=acting_user(request), project=project, document=document, key=key, lang=lang,
                    text=form.cleaned_data["text"], translates_version=form.cleaned_data.get("translates_version"),
                )  # fmt: skip
            except ValidationError as exc:
                form.add_error("text", _error_text(exc))
            else:
                messages.success(request, f"Раздел «{section.get_key_display()}» ({section.get_lang_display()}) "
                                 f"сохранён, версия {section.version}.")  # fmt: skip
                return redirect(f"{reverse('materials:project', args=[project.pk])}#{document}-{key}")
    context = {
        "project": project, "document": Document(document), "key": SectionKey(key), "ru": ru, "en": en,
        "ru_form": forms[Lang.RU], "en_form": forms[Lang.EN],
        "outdated": bool(en and ru and en.text and (en.source_version or 0) < ru.version),
    }  # fmt: skip
    return render(request, "materials/section_edit.html", context)


def material_file(request: HttpRequest, pk: int, document: str, lang: str, fmt: str) -> HttpResponse:
    if response := _login(request):
        return response
    project = _project(request, pk)
    if document not in Document.values or lang not in Lang.values or fmt not in ("pdf", "docx"):
        raise Http404
    item = documents.material(project, document, lang)
    content = documents.build_pdf(item) if fmt == "pdf" else documents.build_docx(item)
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="project-{project.pk}-{item.filename(fmt)}"'
    return response


# --- the data room, managed by the office and the lead organisation --------------------------------------------


def room_manage(request: HttpRequest, pk: int) -> HttpResponse:
    if response := _login(request):
        return response
    project = _project(request, pk)
    if not rules.can_manage_room(request.user, project):
        raise PermissionDenied
    actor = acting_user(request)
    room = DataRoom.objects.filter(project=project).first()
    invitation_form, document_form = InvitationForm(project=project), RoomDocumentForm()
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "open":
                services.room_open(actor=actor, project=project)
                messages.success(request, "Комната данных открыта.")
                return redirect("materials:room_manage", pk=project.pk)
            if room is None:
                raise Http404
            if action == "invite":
                invitation_form = InvitationForm(request.POST, project=project)
                if invitation_form.is_valid():
                    invitation = services.invitation_create(actor=actor, room=room, **invitation_form.cleaned_data)
                    messages.success(request, f"Приглашение отправлено на {invitation.email}.")
                    return redirect("materials:room_manage", pk=project.pk)
            elif action == "upload":
                document_form = RoomDocumentForm(request.POST, request.FILES)
                if document_form.is_valid():
                    upload = document_form.cleaned_data["file"]
                    services.room_document_add(actor=actor, room=room, title=document_form.cleaned_data["title"],
                                               filename=upload.name, data=upload.read())  # fmt: skip
                    messages.success(request, "Документ добавлен.")
                    return redirect("materials:room_manage", pk=project.pk)
            elif action == "revoke":
                invitation = get_object_or_404(Invitation, pk=request.POST.get("invitation"), room=room)
                services.invitation_revoke(actor=actor, invitation=invitation)
                messages.success(request, f"Приглашение {invitation.email} отозвано.")
                return redirect("materials:room_manage", pk=project.pk)
            elif action == "remove":
                document = get_object_or_404(RoomDocument, pk=request.POST.get("document"), room=room)
                services.room_document_remove(actor=actor, document=document)
                messages.success(request, "Документ убран из комнаты.")
                return redirect("materials:room_manage", pk=project.pk)
        except ValidationError as exc:
            messages.error(request, _error_text(exc))
        for form in (invitation_form, document_form):
            if form.is_bound and form.errors:
                messages.error(request, form_errors_text(form))
    context: dict[str, Any] = {"project": project, "room": room, "invitation_form": invitation_form,
                               "document_form": document_form, "now": timezone.now()}  # fmt: skip
    if room is not None:
        context.update(
            documents=list(room.documents.select_related("uploaded_by")),
            invitations=list(room.invitations.select_related("user", "invited_by", "deal")),
            downloads=list(selectors.downloads_of(room)),
            acceptances=list(selectors.acceptances_of(room)),
        )
    return render(request, "materials/room_manage.html", context)


# --- the data room, as a funder's representative sees it ------------------------------------------------------


def my_rooms(request: HttpRequest) -> HttpResponse:
    if response := _login(request):
        return response
    return render(request, "materials/my_rooms.html", {"invitations": selectors.rooms_for(request.user)})


def _room_for_viewer(request: HttpRequest, room_id: int) -> tuple[DataRoom, Invitation | None, bool]:
    """(room, the viewer's live invitation or None for a manager, whether the viewer manages it); refused with a
    reason for an expired or revoked invitation, 404 for a room the viewer was never invited to."""
    room = get_object_or_404(DataRoom.objects.select_related("project__lead_organisation"), pk=room_id)
    if rules.can_manage_room(request.user, room.project):
        return room, None, True
    invitation = services.live_invitation(request.user, room)
    if invitation is not None:
        return room, invitation, False
    mine = [i for i in room.invitations.all() if rules.invitation_for(request.user, i)]
    if not mine:
        raise Http404
    if any(i.revoked_at is None for i in mine):
        raise Refused("Срок приглашения истёк. Попросите проектный офис продлить доступ.")
    raise Refused("Приглашение отозвано. Если это ошибка, обратитесь в проектный офис.")


class Refused(PermissionDenied):
    """A refusal the representative should read: the room page says why."""


def _refused(request: HttpRequest, exc: Refused) -> HttpResponse:
    return render(request, "materials/refused.html", {"reason": str(exc)}, status=403)


def room(request: HttpRequest, room_id: int) -> HttpResponse:
    if response := _login(request):
        return response
    try:
        room, invitation, manages = _room_for_viewer(request, room_id)
    except Refused as exc:
        return _refused(request, exc)
    nda = services.current_nda()
    if invitation is not None and not services.has_accepted(invitation):
        return render(request, "materials/nda.html", {"room": room, "nda": nda, "invitation": invitation})
    context = {"room": room, "invitation": invitation, "manages": manages,
               "documents": list(room.documents.all())}  # fmt: skip
    return render(request, "materials/room.html", context)


@require_POST
def nda_accept(request: HttpRequest, room_id: int) -> HttpResponse:
    if response := _login(request):
        return response
    try:
        room, invitation, _ = _room_for_viewer(request, room_id)
    except Refused as exc:
        return _refused(request, exc)
    if invitation is None:
        return redirect("materials:room", room_id=room.pk)
    if request.POST.get("agree") != "on":
        messages.error(request, "Отметьте, что принимаете условия соглашения.")
        return redirect("materials:room", room_id=room.pk)
    try:
        version = int(request.POST.get("nda_version", ""))
    except ValueError:
        raise Http404 from None
    try:
        services.nda_accept(actor=acting_user(request), invitation=invitation, nda_version=version,
                            ip=client_ip(request))  # fmt: skip
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, "Соглашение принято. Комната данных открыта.")
    return redirect("materials:room", room_id=room.pk)


def room_download(request: HttpRequest, room_id: int, document_id: int) -> HttpResponse:
    if response := _login(request):
        return response
    try:
        room, _, _ = _room_for_viewer(request, room_id)
    except Refused as exc:
        return _refused(request, exc)
    document = get_object_or_404(RoomDocument, pk=document_id, room=room)
    actor = acting_user(request)
    with document.file.open("rb") as handle:
        content = handle.read()
    is_pdf = document.detected_type == "pdf"
    if is_pdf:
        content = watermark(content, f"{actor.display_name} · {formats.date(timezone.localdate())} · "
                                     "конфиденциально")  # fmt: skip
    services.download_record(actor=actor, room=room, document=document, ip=client_ip(request), watermarked=is_pdf)
    response = HttpResponse(content, content_type=CONTENT_TYPES.get(document.detected_type, "application/octet-stream"))
    response["Content-Disposition"] = content_disposition_header(True, document.original_name)
    response["Cache-Control"] = "no-store"
    return response


def nda_edit(request: HttpRequest) -> HttpResponse:
    if response := _login(request):
        return response
    if not is_staff(request.user):
        raise PermissionDenied
    current = services.current_nda()
    form = NdaForm(request.POST or None, initial={"text": current.text if current else ""})
    if request.method == "POST" and form.is_valid():
        try:
            nda = services.nda_publish(actor=acting_user(request), text=form.cleaned_data["text"])
        except ValidationError as exc:
            form.add_error("text", _error_text(exc))
        else:
            messages.success(request, f"Опубликована версия {nda.version}.")
            return redirect("materials:nda")
    return render(request, "materials/nda_edit.html", {"form": form, "nda": current})
