"""The words the narrative rules read a report's text by.

Every pattern runs on folded text without spaces (see mentions.prepare):
full-width punctuation is half width ("，" is ","), "\\n" ends a paragraph.
"""

from __future__ import annotations

import re

from gxaudit.regex import on_use

# ------------------------------------------------------------------ numbers

# A count: arabic or Chinese digits, then a counting word; or a percentage.
# Approximate figures ("100余件", "近百件") are not statements of a number.
_NUMERAL = r"\d零〇一二两三四五六七八九十百千万"  # what every token starts with
_TOKEN = (
    r"(?:百分之(?P<cn_percent>[零〇一二两三四五六七八九十百]+(?:点[零〇一二三四五六七八九]+)?)"
    r"|(?P<num>\d+(?:,\d{3})*(?:\.\d+)?|[零〇一二两三四五六七八九十百千万]+)"
    r"(?P<approx>多|余)?(?:(?P<percent>%)|(?P<unit>件|起|宗|例|条|个|份|项|次|篇))?)"
)
# The tokens, as one plain search finds them: what a token is, stated once. extract_figures
# reads the same tokens from NUMBER_AFTER_SKIP (faster); tests/test_kinds_shortcuts.py holds
# the two equal and checks what extract_figures relies on of a token against this one.
NUMBER = on_use(rf"(?=[{_NUMERAL}]){_TOKEN}")
# NUMBER's tokens, each after the characters skipped before it (a token starts at the empty
# group "at"): the characters that start none are passed over in one run, not with a match
# tried at each (a fifth fewer instructions). A token can start at every character that
# starts one, so the tokens are NUMBER's; after the last one, a match holds only the
# characters skipped (lastgroup None). ("at" closes first: lastgroup is NUMBER's.)
NUMBER_AFTER_SKIP = on_use(rf"[^{_NUMERAL}]*+(?:(?P<at>){_TOKEN})?")
# What every count or percentage token of NUMBER holds (keep the two in step): a digit or
# numeral right before its unit or "%" (an "余"/"多" between), or 百分之 and a numeral. A text
# without it writes no count: a quick test before reading its numbers one by one.
MAY_COUNT = on_use(
    r"[\d零〇一二两三四五六七八九十百千万][多余]?[件起宗例条个份项次篇%]|百分之[零〇一二两三四五六七八九十百]"
)
STRONG_UNITS = {"件", "起", "宗", "例"}
# a figure said to be about so many ("约170件", "近200件", "超过160件", "不足170件", "上百件",
# "170件左右"): not a statement of the number (as "100余件" is not)
_APPROX_BEFORE = on_use(r"(?:大约|约|将近|接近|近|超过|超|逾|不足|不到|不少于|不超过|至少|最多)$")
_APPROX_AFTER = on_use(r"左右|上下|以上|以下|之多")


# the characters right before and right after a figure that may start one of the words above
# (keep them in step): a "$" also matches before a "\n" that ends the words searched
_APPROX_LAST = frozenset("约近过超逾足到于少多上\n")
_APPROX_FIRST = frozenset("左上以之")


def approximate(text: str, start: int, end: int) -> bool:
    """The figure text[start:end] is said to be about so many, not stated."""
    if text[start - 1 : start] not in _APPROX_LAST and text[end : end + 1] not in _APPROX_FIRST:
        return False  # (most figures: no word of either side can hold)
    if _APPROX_BEFORE.search(text, max(0, start - 3), start) or _APPROX_AFTER.match(text, end):
        return True
    return text[start - 1 : start] == "上" and text[start : start + 1] in "百千万"  # 上百件


# after the unit: not a count of applications ("一件事", "3个工作日", "2个月")
NOT_A_COUNT_AFTER = on_use(r"^(?:事|工作日|月|季度|百分点|小时|年)")
# before the number: document numbers 〔2023〕, ordinals 第3件, decimals
NOT_A_COUNT_BEFORE = on_use(r"(?:[〔\[第.]|\d)$")
# Chinese numerals that are part of words, not numbers
CN_WORD_BEFORE = on_use(r"[之统唯逐单专同初进划]$")

SENTENCE_END = "。！？!?；;\n"
CLAUSE_END = SENTENCE_END + "，,：:（）()"

# ------------------------------------------------------------------ what is counted

CARRIED_FORWARD = on_use(
    r"(?:结转|转入|转至|转到|转|顺延|延至|延期|留待|移至|延续)(?:到|至|入)?(?:下一?个?年度?|次年|(?:19|20)\d{2}年度?)"
    r"|下一?年度?继续办理"
)
CARRIED_OVER = on_use(r"上一?个?年度?(?:结转|转结|遗留|未办结|转入)|结转上一?年|往年结转")
# the cases of table four; 复议/诉讼 alone in a sentence that names them ("复议2件，诉讼1件")
REVIEW = on_use(r"行政复议|(?<!行政)复议(?!机关|审查机关|决定书)")
LITIGATION = on_use(r"行政诉讼|行政应诉|提起诉讼|起诉|被诉|(?<![政益事])诉讼(?!请求|服务|费)")
NOT_OUR_LITIGATION = on_use(r"公益诉讼|民事诉讼|刑事诉讼")
BOTH_CASES = on_use(
    r"(?:行政)?复议[、和及与或/](?:提起|被提起)?(?:行政)?诉讼|(?:行政)?诉讼[、和及与或/](?:行政)?复议"
)
# one number for both kinds of cases: each ("均为0件", "各1件") or together ("共3件")
CASES_EACH = on_use(r"均|各|都|皆|分别")
CASES_TOGETHER = on_use(r"共|合计|总计|总数|总量")
# table four's columns, said of cases ("其中结果维持72件", "行政复议被纠错1件")
CASE_COLUMNS = (
    ("pending", on_use(r"尚未审结|未审结|审理中|尚在审理|正在审理|未结案")),
    ("upheld", on_use(r"维持")),
    ("corrected", on_use(r"纠正|纠错|被撤销|确认违法|败诉")),
    ("other", on_use(r"其他结果")),
)
# other outcomes of cases: not a count of cases, not a column of table four
CASE_RESULT = on_use(r"驳回|审结|胜诉|结果|改变|调解|撤回|终止|撤销|结案")
IN_FORCE = on_use(r"现行有效")
IN_FORCE_NEXT = on_use(r"^[、，,和及与]?(?:政府|行政)?(?:规章|规范性文件)")
RECEIVE = on_use(r"新收|新增|收到|受理|接收|接到|收悉|登记")
RESULT = on_use(r"办结|答复|回复|办理完毕|办理完成|处理完毕|处理完成|办理")
APPLICATION = on_use(r"申请(?!人)|依申请")
# applications of other kinds (for a licence, a benefit, a review): not for information
OTHER_APPLICATIONS = on_use(
    r"(?:许可|审批|办事|服务|业务|低保|救助|补贴|补助|户籍|落户|入学|赔偿|复议|仲裁|信访|注册|备案|资格)申请"
)


def about_applications(text: str) -> bool:
    """The words speak of applications for information (not for a licence, a benefit…)."""
    return bool(APPLICATION.search(OTHER_APPLICATIONS.sub("", text)))


# other things organs receive and answer (网络问政, 信访…): not applications
OTHER_OBJECTS = on_use(r"问政|诉求|信访|来信|来电|留言|咨询|建议|提案|投诉|举报|热线")
# a change or a comparison, not a count: "较上年增加5件", "同比下降"
COMPARISON = on_use(r"较|同比|环比|相比|比上年|比去年|增加|减少|增长|下降|上升|持平|多出|减至|增至")
# another period: "2019年以来", "历年", "上年收到…" (not 上年结转, a measure of its own)
OTHER_PERIOD = on_use(
    r"以来|历年|近[两二三四五十]年|连续[两二三四五六七八九十\d]+年|累计至|"
    r"上一?年(?!度?(?:结转|转结|遗留|未办结|转入))|去年"
)
# a part of the year or a span of several, anywhere in the sentence before a figure ("2021年
# 上半年，…70件", "截至11月底，…", "12月份收到…", "“十三五”期间，…", "自《条例》施行以来，…"):
# the figure is not the year's. The whole year written as a span is not a part of it
# ("1月1日至12月31日", "截至12月31日", "截至年底"); nor is "今年以来" / "<year>年以来".
_WHOLE_YEAR_SPAN = on_use(
    r"(?<![\d一二三四五六七八九十])(?:1|一)(?:月(?:1|一)?日?起?)?(?:至|到|-|—|－|~)(?:(?:19|20)\d{2}年)?(?:12|十二)月(?:31|三十一)?日?(?:底|末)?(?:期间|内)?"
    r"|(?:截至|截止)(?:到|至)?(?:(?:19|20)\d{2}年)?(?:(?:12|十二)月(?:31|三十一)?日?(?:底|末)?|年底|年末|底)"
    r"|(?:今年|本年度?|年初|全年)以来|报告期间"
)
_PART_OF_YEAR = on_use(
    # (the look-ahead, which every match passes, lets the scan skip other characters quickly:
    # about three times as fast on the sentences searched)
    r"(?=[上下季截期以至0-9一二三四五六七八九十])(?:"
    r"上半年|下半年|季度|截至|截止|期间|以来|至今|"
    r"(?<![\d个])(?:1[0-2]|0?[1-9]|十[一二]|[一二三四五六七八九十])月(?:份|底|末|初|中旬|上旬|下旬)?)"
)


def part_of_year(sentence_before: str, year: int | None = None) -> re.Match | None:
    """The words that say a figure is of a part of the year or of several years, if any."""
    if not _PART_OF_YEAR.search(sentence_before):
        return None  # (the common case: nothing to take out)
    rest = _WHOLE_YEAR_SPAN.sub("", sentence_before)
    if year is not None:
        rest = rest.replace(f"{year}年以来", "")
    return _PART_OF_YEAR.search(rest)


YEAR_IN_TEXT = on_use(r"(?<!\d)((?:19|20)\d{2})年(?!\d{1,2}月)")
# a year named as where work goes next: "结转至2026年", "顺延到2026年度"
YEAR_FORWARD = on_use(r"(?:结转|转入|转至|转到|顺延|延至|延期|留待|移至|延续)(?:到|至|入)?$")
EXPLICIT_NEW = on_use(r"新收|新增|本年度?新")
INCLUDES_CARRIED = on_use(r"^(?:其中|含|包括|包含)")
# "新收10件，上年结转2件，共计12件": the sum of the two
SUM_WORD = on_use(r"^(?:共计|合计|总计|共|总数为?|合计为)$")

# ------------------------------------------------------------------ table three's results

# ordered: the first that matches the words before a number names it
CATEGORIES = (
    (
        "granted_and_partial",
        on_use(
            r"(?:予以|同意|准予|全部)公开(?:和|及|与|、|以及|或|含|包括|\(含)(?:予以)?部分公开"
            r"|部分公开(?:和|及|与|、|以及)(?:予以|同意|准予|全部)公开"
        ),
    ),
    ("partial", on_use(r"部分公开|区分处理")),
    ("denied", on_use(r"不予公开|不公开")),
    ("unable", on_use(r"无法提供|不能提供")),
    ("rejected", on_use(r"不予处理")),
    ("other_results", on_use(r"其他处理")),
    ("granted", on_use(r"(?:予以|同意|准予|全部)公开")),
)
# a row inside a category ("因本机关不掌握无法提供4件"): not the category's total
CATEGORY_ROWS = on_use(
    r"国家秘密|法律行政法规|法律法规|三安全一稳定|第三方|内部事务|过程性|执法案卷|查询事项|不掌握|"
    r"另行制作|不明确|信访|举报|投诉|重复申请|出版物|大量反复|重新出具|确认|逾期|补正|缴纳|收费"
)
PROACTIVE = on_use(r"主动")
# a kind of applicant: the figure is that applicant's share, not the table's total
APPLICANT = on_use(r"自然人|公民|个人|法人|企业|科研机构|社会公益组织|法律服务机构|律师")
# every applicant, as the law names them: not a kind of applicant
ALL_APPLICANTS = on_use(r"(?:公民|自然人)[、,和及与]?法人(?:和|或|及|以及|、)?(?:其他|其它)组织")

# ------------------------------------------------------------------ applicants

# The kinds of applicant of table three's columns, as a breakdown of the received
# applications names them ("其中自然人申请60件，法人或其他组织申请5件"): 企业 is the 商业企业
# column; 个人 only as the one who applies ("个人申请"); 法人 alone is none of them (the
# table's group is 法人或其他组织, and 法人 may leave out the 其他组织).
APPLICANT_KINDS = (
    ("natural_person", r"自然人|公民|个人(?=提出|提交|申请)"),
    ("legal_or_other", r"法人(?:或者?|和|及|以及|与|、)?(?:其他|其它)组织"),
    ("commercial", r"(?:商业)?企业"),
    ("research", r"科研机构"),
    ("social", r"社会公益组织"),
    ("legal", r"法律服务机构"),
)
_KIND_GROUPS = "|".join(f"(?P<{kind}>{words})" for kind, words in APPLICANT_KINDS)
# all the words before a breakdown's number, and nothing else: "其中自然人申请", "公民提出的申请",
# "、法人和其他组织", "其中收到企业申请" (any other word, "自然人申请中予以公开", is not one)
APPLICANT_BREAKDOWN = on_use(
    rf"(?:其中|包括|含)?(?:收到|受理|新收|接收|接到)?(?:来自|由)?(?:{_KIND_GROUPS})"
    r"(?:提出|提交)?的?(?:政府信息公开|信息公开|依申请公开)?(?:申请)?的?(?:为|有|共计?|达)?"
)
# "涉及自然人72件、商业企业3件": after 涉及 only a column's own name (涉及企业 may be a topic)
APPLICANT_INVOLVED = on_use(
    r"涉及(?:(?P<natural_person>自然人)|(?P<legal_or_other>法人(?:或者?|和|及|以及|与|、)?(?:其他|其它)组织)"
    r"|(?P<commercial>商业企业)|(?P<research>科研机构)|(?P<social>社会公益组织)|(?P<legal>法律服务机构))"
)
# what joins one breakdown to the next ("自然人60件、法人或其他组织5件")
BREAKDOWN_JOINT = on_use(r"^(?:、|和|及|以及|与)")
# a breakdown written number first, all the words after its number and nothing else: "60件为
# 自然人申请", "5件由法人或其他组织提出", "3件来自商业企业", "60件是公民提出的"
_AFTER_NUMBER = (
    r"(?:为|是|系|属于?|由|来自)(?:{kinds})(?:提出|提交)?的?(?:政府信息公开|信息公开|依申请公开)?(?:申请)?的?"
)
APPLICANT_AFTER = on_use(_AFTER_NUMBER.format(kinds=_KIND_GROUPS))
# all the words before such a number: the breakdown before it (its words after its number),
# a joint, 其中 ("其中60件为自然人申请、5件为法人或其他组织申请")
NUMBER_FIRST_LEAD = on_use(
    rf"(?:{_AFTER_NUMBER.format(kinds='|'.join(w for _, w in APPLICANT_KINDS))})?"
    r"(?:、|和|及|以及|与)?(?:其中|包括|含)?"
)

# ------------------------------------------------------------------ scope

ACTING_FOR = on_use(r"代表|代为|代区|代县|代市")
PART_OF = on_use(r"其中|含|包括|包含")
# one way applications come in, as the means ("通过邮寄方式收到…", "经网上平台受理…") or as
# the subject ("依申请公开网上平台共收到…"): that channel's share, not the total; several
# channels together ("通过邮寄和网站", "通过网站、信函等途径") are the total
CHANNEL_MEANS = on_use(r"(?:通过|经由|依托|利用)(?P<via>.{1,24}?)(?:的?(?:方式|途径|渠道))?$")
CHANNEL_NOUN = on_use(
    r"平台|系统|窗口|信箱|邮箱|网站|网上|在线|线上|线下|邮寄|信函|当面|现场|传真|电子邮件|热线"
)
SEVERAL_CHANNELS = on_use(r"[、和及与或/]|等|各|多|所有|全部|一切")
# an organ acting as the organ's office for applications ("区政府办公室作为区政府依申请公开受理
# 机构，共受理…"): the office's own share, as with 代表
ACTING_AS = on_use(r"^(?P<who>[\u4e00-\u9fff]{1,16}?)作为")

TOPIC = on_use(r"(?:涉及|关于)(?!的)(?!(?:政府)?信息公开|政务公开|依申请)")
WHOLE_SUBJECT = on_use(r"全|各|所有|我|本(?!机关|级|单位)")
OWN_LEVEL = on_use(r"本机关|本级|本单位")
# several organs together as subject ("全县各级行政机关", "全市各部门", "系统内"): a total of
# more organs than the report's own
SEVERAL_ORGANS = on_use(r"各级|各部门|各单位|各乡镇|各街道|各镇|各委办局|所属|下属|系统")
# an area as subject ("全县", "全市"): the whole of that area, which may be wider than the organ
AREA = on_use(r"全(?P<level>自治区|省|市|区|县|旗|州|盟|镇|乡|街道)")
# what ends an organ's name after the name of its area ("半坡镇人民政府": 半坡镇)
ORGAN_OF_AREA = on_use(r"(?:人民政府|政府|管理委员会|管委会|办事处)$")
# an organ as subject ("区教育局", "县政府办"); 办/所/局/队 only where they end an organ's
# name, not in 办结, 所有, 局面, 队伍
ORGAN_WORD = on_use(
    r"[\u4e00-\u9fff]{0,10}?(?:政府办公室|政府办|办公室|局(?![面势限])|委员会|委(?![托屈])|"
    r"办(?![结理件事公法])|中心|街道|镇|乡|部门|单位|公司|厅|署|所(?![有在属以涉需])|队(?!伍))"
)
GOVERNMENT = on_use(r"(?:省|市|区|县|旗|州|盟)(?:人民)?政府$|综合实验区|新区$")
YEAR_PREFIX = on_use(r"^(?:(?:\d{4}|[〇零一二三四五六七八九]{4})年度?|本年度?|全年|今年|年度|以来|[，,])+")
# lawsuits against the organ as the reviewing body, with the original organ: not in its table four
JOINT_DEFENDANT = on_use(r"共同被告|作为(?:行政)?复议机关")
# a sentence about information disclosure (a case count elsewhere may be the organ's whole caseload)
DISCLOSURE = on_use(r"信息公开|政务公开|依申请|公开申请|条例")
