import setuptools

setuptools.setup(
    setup_requires=['setuptools-odoo'],
    odoo_addon={
        # the wheel's version is the manifest's, whatever was committed
        # since (no .99.devN suffix): scripts/wheel.sh builds releases
        'post_version_strategy_override': 'none',
    },
)
