"""The four roles of docgen's front door, as Django groups (created by migration 0002, Chinese names).

- 市局经办人 (city staff): drafts any kind, submits, sees every district's data and every job.
- 区局填报员 (district clerk): tied to ONE district by their profile; uploads that district's workbooks and
  附件1 applications, sees that district's data, submissions and errors only.
- 签发人 (the signing leader): signs off drafts; only this role's sign-off allocates a number and releases the
  bureau's seal image.
- 标牌制作 (the sign shop): downloads plaque print files and confirms printing; sees nothing else.
"""

CITY_STAFF = "市局经办人"
DISTRICT_CLERK = "区局填报员"
SIGNER = "签发人"
SIGN_SHOP = "标牌制作"

ROLES = (CITY_STAFF, DISTRICT_CLERK, SIGNER, SIGN_SHOP)
