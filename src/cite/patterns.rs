//! The regular expressions of every citation form, compiled once.
//!
//! Each pattern finds a candidate; the code in `extract.rs` and `forms.rs` decides with the
//! outlet registry whether the candidate really names a source, so the patterns can stay loose.

use regex::Regex;
use std::sync::OnceLock;

pub(super) struct Patterns {
    /// `信源来自于X:Y`, `信源：X《Y》`, `消息来源：X`.
    pub source_line: Regex,
    /// `来源：X`, `稿源：X`, `转载自X`, `编译自X` at the start of a line.
    pub origin_start: Regex,
    /// `（来源：X）` inside a paragraph.
    pub origin_inline: Regex,
    /// `原标题：Y`.
    pub original_title: Regex,
    /// `据X报道`, `據X消息`, `综合X、Y报道`.
    pub ju_report: Regex,
    /// `X报道称`, `X援引`.
    pub reported_says: Regex,
    /// An outlet's own report, in forms without `据`: `日经新闻23日报道`, `路透社的一篇报道称`,
    /// `新华社记者从宁波舟山港获悉`, `界面新闻从多个渠道获悉`, `第一财经记者注意到`. The outlet
    /// must be registered.
    pub zh_own_report: Regex,
    /// `法国星期天报说`: a name shaped like a newspaper, agency or broadcaster before a plain
    /// verb of saying; the registry need not know it.
    pub paper_says: Regex,
    /// A GB/T 7714 reference: `作者. 题名[J]. 刊名, 2011(11): 56-58.`, `[D]. 城市: 学校, 2008.`,
    /// `[M]. 城市: 出版社, 2005.`; the journal, school or publisher is the outlet.
    pub gbt_reference: Regex,
    /// `援引Y报道`: who X quoted.
    pub quoting: Regex,
    /// An outlet followed by a quoted headline: `据环球网“Y”报道`, `路透社题为「Y」的报道`.
    pub zh_headline: Regex,
    /// `《人民日报》报道`, `據「明報」報道`, `据台湾“中央社”报道`.
    pub book_outlet: Regex,
    /// `《X》以《Y》为题报道`, `另据《X》题为《Y》的报道`, `「X」以「Y」為題報導`: a quoted outlet
    /// and a quoted headline.
    pub book_headline: Regex,
    /// A periodical in book-title marks that published, reported or was quoted, without a
    /// headline: `《华尔街日报》的一篇文章报道说`, `在美国《读者文摘》杂志上发表`,
    /// `接受《纽约时报》采访`, `摘自《X学术季刊》2000年第2期`.
    pub book_periodical: Regex,
    /// A paper's edition line: `《光明日报》（ 2022年02月13日 02版）`.
    pub paper_edition: Regex,
    /// A wire agency's byline on a line of its own: `By TOM KRISHER, AP Auto Writer`,
    /// `Associated Press`, `By The Associated Press`. The article is the agency's copy.
    /// (A date and time may follow: `Associated Press November 19, 2019, 9:02 AM`.)
    pub wire_byline: Regex,
    /// A portal's dateline closing with the outlets it took the story from:
    /// `AUTO.SOHU.COM 2003年11月12日16:36 金羊网—新快报`.
    pub dateline_outlets: Regex,
    /// `美国有线电视新闻网（CNN）报道`: a full name with its short name in brackets.
    pub zh_full_short: Regex,
    /// `the British Broadcasting Corporation (BBC) reported`.
    pub en_full_short: Regex,
    /// `(Source: CNN)`, `(via Reuters)` inside a paragraph.
    pub en_source_paren: Regex,
    /// `（新华社，https://…）`, `(Reuters, 12 May 2024, https://…)`: an outlet and a URL in
    /// brackets closing a sentence.
    pub paren_url: Regex,
    /// A section tag: `【财经观察】`, `〔国际〕`, or at the start of a line `[国际]`, `「專題」`.
    pub section_tag: Regex,
    /// `（新华社记者 张三）`.
    pub zh_byline: Regex,
    /// `新华社北京5月12日电`.
    pub zh_dateline: Regex,
    /// `美媒称`, `据知情人士`.
    pub unnamed: Regex,
    /// `according to X`, `as first reported by X`, `via X`, `per X`.
    pub according_to: Regex,
    /// `X reported`, `X said` (X must be a registry outlet).
    pub reported_by: Regex,
    /// `told Reuters`, `in a statement to the Financial Times`, `in comments to CNBC`.
    pub told: Regex,
    /// `after a CNBC report on the deal`, `an AP count`, `first published in the Economist`:
    /// the outlet's own report (the outlet must be registered).
    pub outlet_report: Regex,
    /// `in an interview with the BBC`, `in the BBC interview`, `gave to the BBC interviewer`,
    /// `told CNN's State of the Union`'s kin: an interview given to an outlet is that outlet's
    /// report.
    pub interview: Regex,
    /// `Heyward said, via ESPN.`, `via Brian Batko of the Pittsburgh Post-Gazette`.
    pub said_via: Regex,
    /// `WASHINGTON (Reuters) -`, `(AP) —` at the start of a paragraph.
    pub en_dateline: Regex,
    /// `Source: X — "Y"`, `Sources: X, "Y"; Z, "W"`.
    pub en_source_line: Regex,
    /// `[1] `, `1. `, `[^1]: ` before a reference-list entry.
    pub reference_marker: Regex,
    /// A publication date: `12 May 2024`, `May 12, 2024`, `2024-05-12`, `2024年5月12日`.
    pub date: Regex,
    pub bare_url: Regex,
}

/// Characters that may not appear inside a Chinese outlet name written inline.
const ZH_RUN: &str = r"[^，。,；;：:“”「」『』《》\s、（）()!！?？【】〔〕\[\]]";

pub(super) fn patterns() -> &'static Patterns {
    static P: OnceLock<Patterns> = OnceLock::new();
    P.get_or_init(|| {
        let re = |s: &str| Regex::new(s).expect("static regex");
        Patterns {
            source_line: re(
                r"^(?:\*\*)?(?:信源|消息来源|消息來源|資料來源|资料来源|參考來源|参考来源|引用来源|引用來源)(?:来自于|來自於|来自|來自|来源于|來源於)?\s*[:：]?\s*(?P<rest>.+?)(?:\*\*)?$",
            ),
            origin_start: re(
                r"^(?:\*\*)?[（(]?(?:(?:文章|新闻|新聞|本文|信息|资讯|資訊)?(?:来源|來源)|稿源|出处|出處|转载自|轉載自|转自|轉自|编译自|編譯自|原文来源|原文來源)(?:\*\*)?\s*[:：]?\s*(?:\*\*)?\s*(?P<rest>.+?)\s*[）)]?(?:\*\*)?$",
            ),
            origin_inline: re(
                r"(?:^|[（(\s。，；,;])(?:来源|來源|稿源|转载自|轉載自|编译自|編譯自|出处|出處)\s*[:：]?\s*(?P<outlet>[^\s，。,;；:：）)|]{2,24})",
            ),
            original_title: re(r"^(?:原标题|原標題)\s*[:：]\s*(?P<headline>.+)$"),
            ju_report: re(
                r"(?:据|據|综合|綜合)(?P<outlet>[^，。,；;：:“”「」『』\s]{2,40}?)(?:最新|此前|日前|今天|今日|近日|当天|當天|早前|稍早)?(?:\d{1,2}日|[一二三四五六七八九十]{1,3}日)?(?:的)?(?:报道|報導|報道|消息|援引|称|稱|披露|指出|透露|发布|發布|刊文|文章|网站|網站|分析|调查|調查)",
            ),
            zh_own_report: re(&format!(
                r"(?P<outlet>{ZH_RUN}{{2,16}}?)(?:(?:\d{{1,2}}月)?\d{{1,2}}日(?:报道|報導|報道|消息|发文|發文|刊文|援引|称|稱)|的(?:一篇|一则|一則)?(?:报道|報導|報道|文章|评论|評論)(?:称|稱|说|說|指出|提到|披露|认为|認為)|(?:记者|記者)(?:从|從)[^，。,；;]{{1,30}}?(?:获悉|獲悉|了解到|得知)|(?:记者|記者)(?:注意到|获悉|獲悉|了解到|发现|發現)|(?:从|從)[^，。,；;]{{1,30}}?(?:获悉|獲悉|了解到|得知))"
            )),
            reported_says: re(&format!(
                r"(?P<outlet>{ZH_RUN}{{2,16}}?)(?:此前|日前|最新|早前)?(?:报道称|報導稱|報道稱|援引|報導指|报道指|报道说|報導說|报道还提到|報導還提到|还提到|還提到|报道还称|報導還稱|还称|還稱|报道表示|報導表示|引述|報導[，,：:]|報道[，,：:]|报道[，,：:]|報道指|消息[，,：:]|消息称|消息稱)"
            )),
            paper_says: re(&format!(
                r"(?P<outlet>{ZH_RUN}{{1,12}}?(?:日报|日報|晚报|晚報|时报|時報|周报|週報|周刊|週刊|杂志|雜誌|报|報|通讯社|通訊社|新闻社|新聞社|电视台|電視台|电台|電台))(?:此前|日前|最新|早前|近日)?(?:说|說|称|稱|报道|報導|報道|指出|披露|写道|寫道|援引|引述|表示|透露)"
            )),
            gbt_reference: re(
                r"^\s*(?:\[\d{1,3}\]\s*)?(?P<authors>[^.．\[\]]{1,80})[.．]\s*(?P<title>[^\[\]]{2,200}?)\s*\[(?P<kind>[JDMCNRSPZA]|EB/OL|J/OL|N/OL|M/OL)\](?:\s*[:：]\s*\[[^\]]{1,20}\])?\s*[.．]\s*(?:(?P<city>[^:：,，.．\d]{1,12})\s*[:：]\s*)?(?P<outlet>[^,，.．:：\d][^,，.．:：]{1,39}?)\s*[,，]\s*(?P<year>(?:19|20)\d{2})",
            ),
            quoting: re(&format!(
                r"(?:援引|引述|引用)[《「]?(?P<outlet>{ZH_RUN}{{2,20}}?)[》」]?(?:的)?(?:报道|報導|報道|消息|称|稱|表示|说|說|指出|透露|数据|數據|文章|分析)"
            )),
            zh_headline: re(&format!(
                r"(?P<pre>据|據|综合|綜合)?(?P<run>《[^》\n]{{2,20}}》|{ZH_RUN}{{2,20}}?)(?:在|于|於|则|則|也|亦|还|還)?(?:此前|日前|最新|早前|近日)?(?:的)?(?P<conn>(?:发表了?|發表了?|刊发了?|刊發了?|刊登了?|以)?(?:一篇)?(?:题为|題為|的文章|文章|的报道|的報導|报道|報導|刊文|发文|發文)?)(?P<q>“[^”\n]{{2,150}}”|「[^」\n]{{2,150}}」|『[^』\n]{{2,150}}』|《[^》\n]{{2,150}}》)(?P<post>(?:为题|為題)?的?(?:一文|文章|报道|報導|報道|消息|中|称|稱|指出|披露|写道|寫道))?"
            )),
            book_outlet: re(
                r"(?:《(?P<outlet>[^》\n]{2,20})》|「(?P<corner>[^」\n]{2,20})」|『(?P<white>[^』\n]{2,20})』|“(?P<dq>[^”\n]{2,20})”)(?:最新|此前|日前)?(?:\d{1,2}日|[一二三四五六七八九十]{1,3}日)?(?:报道|報導|報道|消息|援引|称|稱|刊文|發文|发文|社论|社論|指出|披露|文章|评论|評論|网站|網站)",
            ),
            book_headline: re(
                r"(?P<pre>另据|另據|据|據)?(?:《(?P<book>[^》\n]{2,20})》|「(?P<corner>[^」\n]{2,20})」)(?:则|則|也|亦|还|還|在|于|於)?(?:此前|日前|最新|早前|近日)?(?P<conn>(?:以|发表了?|發表了?|刊发了?|刊發了?|刊登了?)?(?:一篇)?(?:题为|題為)?)(?P<q>《[^》\n]{2,150}》|“[^”\n]{2,150}”|「[^」\n]{2,150}」|『[^』\n]{2,150}』)(?P<post>(?:为题|為題)?(?:的)?(?:一文|文章|报道|報導|報道|消息|社论|社論|评论|評論|专题|專題)?)",
            ),
            paper_edition: re(
                r"^[（(]?《(?P<outlet>[^《》\n]{2,20})》\s*[（(]?\s*(?P<date>\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日)\s*(?:第?\s*\d{1,2}\s*版|[A-Z]\d{1,2}\s*版)?\s*[）)]?\s*[）)]?$",
            ),
            dateline_outlets: re(
                r"^(?:[A-Za-z][A-Za-z0-9.]*\s+)?\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*(?:\d{1,2}[:：]\d{2}(?:[:：]\d{2})?)?\s+(?P<outlets>[\p{Han}A-Za-z0-9]{2,20}(?:\s*[—－-]{1,2}\s*[\p{Han}A-Za-z0-9]{2,20})?)$",
            ),
            wire_byline: re(
                r"^(?:By\s+)?(?:(?:[\p{Lu}][\p{L}.'’-]*\s+){0,3}[\p{Lu}][\p{L}.'’-]*(?:\s+(?:and|&)\s+(?:[\p{Lu}][\p{L}.'’-]*\s+){0,3}[\p{Lu}][\p{L}.'’-]*)?\s*,\s*)?(?:The\s+)?(?P<outlet>(?i:associated\s+press|ap|reuters|afp|agence\s+france-presse))(?:\s+(?:[\p{L}-]+\s+){0,3}(?i:writers?|reporters?|correspondents?|editors?))?\.?(?:\s*[|·•,–—-]?\s*(?:(?i:published|updated|posted)\s*:?\s*)?(?i:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}(?:\s*(?:,|at|·)?\s*\d{1,2}:\d{2}\s*(?i:am|pm|a\.m\.|p\.m\.)?(?:\s+[A-Z]{2,4})?)?)?$",
            ),
            book_periodical: re(
                r"《(?P<name>[^《》\n]{2,24})》(?P<kind>杂志|雜誌|周刊|週刊|报|報)?(?P<post>(?:的(?:一篇|这篇|這篇)?(?:文章|报道|報導|報道|社论|社論|评论|評論|专访|專訪))?(?:上|上的)?(?:所|曾|也|则|則)?(?:刊登|刊发|刊發|发表|發表|报道|報導|報道|指出|称|稱|说|說|披露|援引|引述|采访|採訪|专访|專訪)?)(?P<issue>\s*[（(]?\d{4}\s*年\s*第\s*\d{1,3}\s*期)?",
            ),
            zh_full_short: re(&format!(
                r"(?P<pre>据|據)?(?P<full>《[^》\n]{{2,20}}》|{ZH_RUN}{{2,24}}?)[（(](?P<short>[A-Za-z][A-Za-z0-9&.\- ]{{0,19}}|{ZH_RUN}{{2,10}})[）)](?:此前|日前|最新|早前|近日)?(?:\d{{1,2}}日|[一二三四五六七八九十]{{1,3}}日)?(?:的)?(?:网站|網站|官网|官網)?(?P<v>报道称|報導稱|報道稱|报道|報導|報道|消息|称|稱|援引|引述|指出|披露|透露|发布|發布|刊文|发文|發文)"
            )),
            en_full_short: re(
                r"(?P<full>(?:[Tt]he\s+)?[A-Z][\w&'’.-]*(?:\s+(?:[A-Z][\w&'’.-]*|of|for|and))*)\s*\((?P<short>[A-Z][A-Za-z0-9&.]{0,11})\)\s+(?:first\s+|also\s+|previously\s+|earlier\s+|has\s+|had\s+)?(?:reported|reports|said|says|wrote|writes|revealed|disclosed|found)(?-u:\b)",
            ),
            en_source_paren: re(
                r"[（(](?i:sources?\s*[:：]|via\s|credits?\s*[:：])\s*(?P<outlet>[^()（）\n:：]{2,40}?)\s*[）)]",
            ),
            paren_url: re(
                r#"[（(]\s*(?:据|據)?(?P<outlet>[^（）()，,、;；\n]{2,40}?)\s*[，,]\s*(?P<mid>[^（）()\n]{0,80}?[，,]\s*)?(?P<url>https?://[^\s<>"'）)\]]+)\s*[）)]"#,
            ),
            section_tag: re(
                r"【(?P<lent>[^】\n]{1,20})】|〔(?P<tort>[^〕\n]{1,20})〕|^\s*(?:\[(?P<sq>[^\]\n]{1,12})\]|「(?P<corner>[^」\n]{1,12})」)",
            ),
            zh_byline: re(
                r"[（(](?P<outlet>[^（()）\s，。、:：]{2,20}?)(?:驻[^（()）\s，。]{1,10}?|駐[^（()）\s，。]{1,10}?)?(?:特约记者|特約記者|记者|記者|通讯员|通訊員)",
            ),
            zh_dateline: re(
                r"(?P<outlet>[\p{Han}A-Za-z]{1,8}?(?:社|网|網|台|报|報))(?:[\p{Han}]{1,8}?)?(?:\d{1,2}|[一二三四五六七八九十]{1,3})月(?:\d{1,2}|[一二三四五六七八九十]{1,3})日(?:电|電|讯|訊)",
            ),
            unnamed: re(
                r"(?P<ju>据|據)?(?P<outlet>美媒|外媒|港媒|台媒|日媒|韩媒|韓媒|英媒|德媒|法媒|俄媒|印媒|多家媒体|多家媒體|知情人士|消息人士|接近[\p{Han}]{1,10}?的人士)(?P<verb>最新|此前|日前)?(?P<v>报道称|報導稱|报道|報導|報道|称|稱|指出|透露|披露|援引|消息|表示|说|說)?",
            ),
            according_to: re(
                r"(?-u:\b)(?i:according\s+to|as\s+first\s+reported\s+by|first\s+reported\s+by|as\s+reported\s+by|reported\s+by|via|per|citing)\s+(?:(?i:an?\s+(?:new\s+|recent\s+|exclusive\s+)?(?:report|story|article|analysis|investigation)\s+(?:by|from|in|on)\s+|an?\s+))?(?P<outlet>(?:[Tt]he\s+)?[A-Z][\w&'’.-]*(?:\s+(?:[A-Z][\w&'’.-]*|of|for|and))*)",
            ),
            reported_by: re(
                r"(?P<outlet>(?:[Tt]he\s+)?[A-Z][\w&'’.-]*(?:\s+[A-Z][\w&'’.-]*)*)\s+(?:first\s+|also\s+|previously\s+|earlier\s+|has\s+|had\s+|(?:analysis|report|investigation|survey|poll|review|count|tally|data|estimate|estimates)\s+)?(?:found|showed|shows|finds|reported|reports|said|says|wrote|writes|quoted|revealed|disclosed)(?-u:\b)",
            ),
            told: re(r"(?-u:\b)(?:told|(?:in\s+)?an?\s+(?:statement|comments?|remarks|email|e-mail)\s+to)\s+(?P<outlet>(?:the\s+)?[A-Z][\w&'’.-]*(?:\s+[A-Z][\w&'’.-]*)*)"),
            outlet_report: re(
                r"(?-u:\b)(?:(?i:an?)\s+(?P<outlet>(?:[A-Z][\w&'’.-]*\s+){1,4})(?:report|investigation|analysis|story|count|tally|poll|survey)(?-u:\b)|(?:published|appeared|ran|printed)\s+in\s+(?P<venue>(?:the\s+)?[A-Z][\w&'’.-]*(?:\s+[A-Z][\w&'’.-]*)*))",
            ),
            said_via: re(
                r"(?-u:\b)(?:said|says|told|wrote|added|explained),?\s+via\s+(?:(?:[A-Z][\w'’.-]*\s+){1,3}(?:of|from)\s+)?(?P<outlet>(?:the\s+)?[A-Z][\w&'’.-]*(?:\s+[A-Z][\w&'’.-]*)*)",
            ),
            interview: re(
                r"(?-u:\b)(?:(?:in|during|from|gave)\s+(?:an?|the|his|her|their|that|this)\s+(?:(?:exclusive|recent|televised|broadcast)\s+)?interview\s+with\s+(?P<with>(?:the\s+)?[A-Z][\w&'’.-]*(?:\s+[A-Z][\w&'’.-]*)*)|(?:in|during|from)\s+(?:an?|the|his|her|their|that|this)\s+(?P<owner>[A-Z][\w&'’.-]*(?:\s+[A-Z][\w&'’.-]*)*?)(?:'s|’s)?\s+interview(?-u:\b)|(?:told|to|asked\s+by)\s+(?:an?|the)\s+(?P<interviewer>[A-Z][\w&'’.-]*(?:\s+[A-Z][\w&'’.-]*)*?)(?:'s|’s)?\s+interviewers?(?-u:\b))",
            ),
            en_dateline: re(
                r"^(?:[A-Z][A-Z.'’ -]{1,40}?(?:,\s*[A-Z][A-Za-z.]{1,12}(?:\s+\d{1,2})?)?\s*)?\((?P<outlet>[A-Za-z][\w&'’. -]{0,40})\)\s*(?:--|-|—|–)",
            ),
            en_source_line: re(
                r"^(?:\*\*)?(?i:sources?|via|credits?|references?)(?:\*\*)?\s*[:：]\s*(?:\*\*)?\s*(?P<rest>.*?)\s*$",
            ),
            reference_marker: re(
                r"^(?:\[\^?[\w-]{1,10}\]:?|\^[\w-]{1,10}|\d{1,3}[.)、．:]|[（(]\d{1,3}[)）]|[-*•])\s*",
            ),
            date: re(
                r"(?i:(?-u:\b)\d{1,2}\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?,?\s+\d{4}(?-u:\b)|(?-u:\b)(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{1,2},?\s+\d{4}(?-u:\b))|(?-u:\b)\d{4}-\d{1,2}-\d{1,2}(?-u:\b)|(?-u:\b)\d{4}/\d{1,2}/\d{1,2}(?-u:\b)|\d{4}年\d{1,2}月\d{1,2}日",
            ),
            bare_url: re(r#"https?://[^\s<>"'）)\]，。、」』》“”‘’]+"#),
        }
    })
}
