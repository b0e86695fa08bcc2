"""The layers hold where import-linter cannot see: a model refers to another app's model by a
string ("queries.Query"), and a template to another app's pages by URL name, so neither is an
import. Every relation of every portal model points at its own app, an app below it, or
Django's own (users, content types); every app's templates link down the layers too."""

import re
import tomllib
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.urls import get_resolver

PYPROJECT = Path(settings.BASE_DIR) / "pyproject.toml"


def _layers() -> dict[str, int]:
    """Each portal app's layer, from the import-linter contract (0: the lowest)."""
    config = tomllib.loads(PYPROJECT.read_text())["tool"]["importlinter"]
    contract = next(c for c in config["contracts"] if c["type"] == "layers")
    ranks = {}
    for height, layer in enumerate(reversed(contract["layers"])):
        for app in layer.split("|"):
            ranks[app.strip()] = height
    return ranks


def test_the_layers_name_every_portal_app_in_installed_apps_order():
    layers = _layers()
    installed = [config.name for config in apps.get_app_configs() if config.name in layers]

    assert set(installed) == set(layers) - {"config"}
    assert installed == sorted(installed, key=lambda name: layers[name])


def test_no_model_points_at_a_higher_app():
    layers = _layers()
    upward = []
    for model in apps.get_models(include_auto_created=True):
        source = model._meta.app_config.name
        if source not in layers:
            continue
        for field in model._meta.get_fields(include_hidden=True):
            if not field.is_relation or field.auto_created or field.related_model is None:
                continue
            target = field.related_model._meta.app_config.name
            if target in layers and layers[target] > layers[source]:
                target_label = field.related_model._meta.label
                upward.append(f"{model._meta.label}.{field.name} -> {target_label}")

    assert not upward, "relations pointing up a layer:\n" + "\n".join(upward)


URL_TAG = re.compile(r"""\{%\s*url\s+['"](?P<namespace>[\w-]+):""")


def _namespace_apps() -> dict[str, str]:
    """Each URL namespace and the app whose URLconf declares it."""
    found = {}
    for namespace, (_prefix, resolver) in get_resolver().namespace_dict.items():
        module = resolver.urlconf_name
        name = module if isinstance(module, str) else getattr(module, "__name__", "")
        found[namespace] = name.split(".")[0]
    return found


def test_no_app_s_template_links_to_a_higher_app():
    """A template of an app links only to its own pages and those of the apps below it; the
    pages that show several apps' parts take them from sections (config.sections)."""
    layers, owners = _layers(), _namespace_apps()
    templates = Path(settings.BASE_DIR) / "templates"
    upward = []
    for app in layers:
        for template in sorted((templates / app).rglob("*.html")):
            for match in URL_TAG.finditer(template.read_text()):
                owner = owners.get(match["namespace"])
                if owner in layers and layers[owner] > layers[app]:
                    name = template.relative_to(templates)
                    upward.append(f"{name} links to the {owner} app ({match['namespace']}:)")

    assert not upward, "templates linking up a layer:\n" + "\n".join(upward)
