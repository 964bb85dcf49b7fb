"""``xml.etree.ElementTree.Element.getchildren()`` was removed in Python 3.9
(bpo-36543); iterating over the element gives the same children.

Odoo 11's ``concat_xml`` in ``odoo/addons/web/controllers/main.py`` merges
the web client's QWeb template files with ``xml.getchildren()``: without this
the client gets no templates and shows a blank page.  The C ``Element`` type
cannot get the method back, so the function is replaced by the same code
using ``list(xml)``.
"""
import hashlib
import logging
from xml.etree import ElementTree

TARGET = "odoo.addons.web.controllers.main"

_logger = logging.getLogger("odoo.addons.web.controllers.main")


def concat_xml(file_list):
    """Concatenate xml files

    :param list(str) file_list: list of files to check
    :returns: (concatenation_result, checksum)
    :rtype: (str, str)
    """
    checksum = hashlib.new("sha1")
    if not file_list:
        return "", checksum.hexdigest()

    root = None
    for fname in file_list:
        with open(fname, "rb") as fp:
            contents = fp.read()
            checksum.update(contents)
            fp.seek(0)
            try:
                xml = ElementTree.parse(fp).getroot()
            except ElementTree.ParseError as e:
                _logger.error("Could not parse file %s: %s", fname, e.msg)
                raise e

        if root is None:
            root = ElementTree.Element(xml.tag)

        for child in list(xml):
            root.append(child)
    return ElementTree.tostring(root, "utf-8"), checksum.hexdigest()


def apply(web_main):
    web_main.concat_xml = concat_xml
