"""The layers hold where import-linter cannot see: a model refers to another app's model by a
string ("queries.Query"), so a relation pointing up a layer is no import. Every relation of every
portal model points at its own app, an app below it, or Django's own (users, content types)."""

import tomllib
from pathlib import Path

from django.apps import apps
from django.conf import settings

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
