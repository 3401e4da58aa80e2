"""Loads the built-in templates (idempotent by key) and picks the template for an opportunity."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction

from projectoffice.applications.builtin_templates import TEMPLATES
from projectoffice.applications.models import ApplicationTemplate, Criterion, RequiredDocument, TemplateSection
from projectoffice.opportunities.models import Opportunity, OpportunityKind


@transaction.atomic
def load_builtin_templates() -> int:
    """Create the built-in templates that are missing; existing ones are the office's to edit."""
    created = 0
    for spec in TEMPLATES:
        if ApplicationTemplate.objects.filter(key=spec["key"]).exists():
            continue
        template = ApplicationTemplate.objects.create(
            key=spec["key"],
            name=spec["name"],
            provider_name=spec["provider_name"],
            is_builtin=True,
            max_support_share=spec.get("max_support_share"),
            min_own_share=spec.get("min_own_share"),
        )
        for order, (title, guidance, low, high, prefill) in enumerate(spec["sections"]):
            TemplateSection.objects.create(
                template=template,
                order=order,
                title=title,
                guidance=guidance,
                min_chars=low,
                max_chars=high,
                prefill=prefill,
            )
        for order, (name, weight, low, high) in enumerate(spec["criteria"]):
            Criterion.objects.create(
                template=template, order=order, name=name, weight=Decimal(str(weight)), scale_min=low, scale_max=high
            )
        for order, (name, description, required, types) in enumerate(spec["documents"]):
            RequiredDocument.objects.create(
                template=template,
                order=order,
                name=name,
                description=description,
                is_required=required,
                allowed_types=types,
            )
        created += 1
    return created


def template_for(opportunity: Opportunity) -> ApplicationTemplate:
    """The opportunity's own template, else its provider's, else the built-in one for its kind."""
    own = opportunity.templates.first()
    if own is not None:
        return own
    provider = opportunity.provider_name.casefold()
    for template in ApplicationTemplate.objects.filter(opportunity__isnull=True).exclude(provider_name=""):
        if template.provider_name.casefold() in provider:
            if "start" in (template.key or "") and "старт" not in opportunity.title.casefold():
                continue
            return template
    keys: dict[str, str] = {
        OpportunityKind.TENDER: "tender-bid",
        OpportunityKind.PILOT_CALL: "corporate-pilot",
        OpportunityKind.LOAN: "frp-digital-loan",
    }
    key = keys.get(opportunity.kind, "fsi-commercialisation")
    found = ApplicationTemplate.objects.filter(key=key).first()
    if found is None:
        load_builtin_templates()
        found = ApplicationTemplate.objects.get(key=key)
    return found
