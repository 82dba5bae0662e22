"""A fresh Tryton database made ready for releasebot (a company, the warehouse's production
location, production numbers as releasebot writes them); what the tests' template runs.

    python -m releasebot_tryton.setup DATABASE TRYTOND_CONFIG

Run it once after `trytond-admin -d DATABASE -u releasebot_tryton --activate-dependencies`,
with trytond's own configuration file; a real plant sets these in the Tryton client instead.
"""

from __future__ import annotations

import sys

from proteus import Model, config


def main(database: str, config_file: str) -> None:
    config.set_trytond(database, config_file=config_file)
    currency = Model.get("currency.currency")(name="Euro", symbol="EUR", code="EUR")
    currency.save()
    party = Model.get("party.party")(name="Plant 1")
    party.save()
    company = Model.get("company.company")(party=party, currency=currency)
    company.save()
    user = Model.get("res.user")(config.get_config().user)
    user.companies.append(company)
    user.company = company
    user.save()
    location = Model.get("stock.location")
    (warehouse,) = location.find([("code", "=", "WH")])
    (production,) = location.find([("type", "=", "production")])
    warehouse.production_location = production
    warehouse.save()
    # production numbers as releasebot writes them (P000123): a planner types what Tryton shows
    sequence = Model.get("production.configuration")(1).production_sequence
    sequence.prefix, sequence.padding = "P", 6
    sequence.save()


if __name__ == "__main__":
    main(*sys.argv[1:3])
