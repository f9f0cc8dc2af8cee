from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def vnd(amount) -> str:
    """Money the Vietnamese way: 1000000 -> "1.000.000 đ"."""
    if amount is None or amount == "":
        return ""
    return f"{int(amount):,}".replace(",", ".") + " đ"


@register.filter
def vndate(value) -> str:
    """Dates as dd/mm/yyyy."""
    return value.strftime("%d/%m/%Y") if value else ""
