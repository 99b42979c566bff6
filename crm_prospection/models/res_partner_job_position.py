# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import unicodedata

from odoo import api, models
from odoo.exceptions import ValidationError


def _comparable(name):
    """Case- and accent-insensitive form: 'Directeur Général' ~ 'directeur general'."""
    decomposed = unicodedata.normalize("NFKD", name or "")
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(stripped.casefold().split())


class ResPartnerJobPosition(models.Model):
    _inherit = "res.partner.job_position"
    _order = "name, id"

    @api.constrains("name")
    def _check_name_unique(self):
        """LEAD-1: quick-created positions must not duplicate existing ones."""
        names = {position.id: _comparable(position.name) for position in self}
        others = self.with_context(active_test=False).search_fetch(
            [("id", "not in", self.ids)], ["name"]
        )
        existing = {}
        for other in others.sorted("id"):
            existing.setdefault(_comparable(other.name), other)
        seen = {}
        for position in self:
            key = names[position.id]
            twin = existing.get(key) or seen.get(key)
            if twin:
                raise ValidationError(
                    self.env._(
                        "The job position '%(new)s' already exists as '%(existing)s'.",
                        new=position.name,
                        existing=twin.name,
                    )
                )
            seen[key] = position
