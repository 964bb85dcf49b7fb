# Copyright 2026 crm_ext contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""11.0.6.0.0: the acknowledgement of a received complaint is shipped and
sent when a complaint enters the *New* stage.

The stages are ``noupdate`` data: a database from an earlier version gets
the new template (a new record) but its *New* stage keeps sending nothing.
The template is set here on the shipped *New* stage, unless an
administrator already gave that stage a template of their own.
"""
from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    stage = env.ref("crm_ext.crm_complaint_stage_new", raise_if_not_found=False)
    template = env.ref("crm_ext.crm_complaint_mail_template_acknowledgement",
                       raise_if_not_found=False)
    if stage and template and not stage.mail_template_id:
        stage.mail_template_id = template
