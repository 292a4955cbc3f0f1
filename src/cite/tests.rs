//! One tiny case per citation form, and the look-alikes that are not citations.

use super::registry::OutletRegistry;
use super::*;
use crate::model::{Citation, CitationKind};

fn cites_in(path: &str, text: &str) -> Vec<Citation> {
    let doc = crate::document::parse(path, text.as_bytes(), None).expect("parses");
    citations(&doc, &OutletRegistry::builtin())
}

fn cites(text: &str) -> Vec<Citation> {
    cites_in("t.txt", text)
}

/// `(outlet, headline)` of every citation in a one-paragraph article under a title line.
fn check(body: &str, expected: &[(&str, Option<&str>)]) {
    let got: Vec<(String, Option<String>)> = cites(&format!("标题\n{body}\n"))
        .into_iter()
        .map(|c| (c.outlet.unwrap_or_default(), c.headline))
        .collect();
    let want: Vec<(String, Option<String>)> = expected
        .iter()
        .map(|(o, h)| (o.to_string(), h.map(str::to_string)))
        .collect();
    assert_eq!(got, want, "citations of {body:?}");
}

fn none(body: &str) {
    check(body, &[]);
}

#[test]
fn seed_source_lines() {
    let c = cites("标题\n\n正文。\n\n信源来自于鲁中晨报:美国被曝考虑限制英伟达、AMD等向中东国家出口AI芯片\n\n信源来自于环球网:美媒:因美政府扩大对华芯片出口限制,英伟达可能丢掉价值超50亿美元订单\n");
    assert_eq!(c.len(), 2);
    assert_eq!(c[0].outlet.as_deref(), Some("鲁中晨报"));
    assert_eq!(
        c[0].headline.as_deref(),
        Some("美国被曝考虑限制英伟达、AMD等向中东国家出口AI芯片")
    );
    assert_eq!(c[0].line, 5);
    assert_eq!(c[1].outlet.as_deref(), Some("环球网"));
    assert_eq!(
        c[1].headline.as_deref(),
        Some("美媒:因美政府扩大对华芯片出口限制,英伟达可能丢掉价值超50亿美元订单")
    );
    assert!(c[1].registry_outlet.is_some());
}

#[test]
fn full_width_colon_and_book_marks() {
    check(
        "信源：新华社《中国经济稳中向好》",
        &[("新华社", Some("中国经济稳中向好"))],
    );
    check("信源:人民网", &[("人民网", None)]);
    check(
        "信源來自於中央社：台積電宣布擴產",
        &[("中央社", Some("台積電宣布擴產"))],
    );
}

#[test]
fn origin_lines_are_source_lines() {
    let c = cites("标题\n来源：新华社\n原标题：中国经济稳中向好\n");
    assert_eq!(c.len(), 1, "{c:?}");
    assert_eq!(c[0].kind, CitationKind::SourceLine);
    assert_eq!(c[0].outlet.as_deref(), Some("新华社"));
    assert_eq!(c[0].headline.as_deref(), Some("中国经济稳中向好"));
    check("稿源：人民网", &[("人民网", None)]);
    check("來源：中央社", &[("中央社", None)]);
    check("转载自澎湃新闻", &[("澎湃新闻", None)]);
    check("编译自路透社", &[("路透社", None)]);
    check(
        "来源：新华社 原标题：港口全面复工",
        &[("新华社", Some("港口全面复工"))],
    );
    check("来源：人民网　作者：张三", &[("人民网", None)]);
}

#[test]
fn inline_chinese_attributions() {
    let c = cites("标题\n据新华社报道，港口已恢复作业。来源：人民网\n");
    let outlets: Vec<_> = c.iter().filter_map(|c| c.outlet.as_deref()).collect();
    assert_eq!(outlets, vec!["新华社", "人民网"]);
    assert_eq!(c[0].column, 1);
    assert_eq!(c[0].line, 2);
    check("据人民网消息，港口复工。", &[("人民网", None)]);
    check("據中央社報導，颱風登陸。", &[("中央社", None)]);
    check("澎湃新闻报道称，航线取消。", &[("澎湃新闻", None)]);
    check("据《人民日报》报道，港口复工。", &[("人民日报", None)]);
    check("《人民日报》报道，港口复工。", &[("人民日报", None)]);
}

#[test]
fn quoting_outlet_and_who_it_quoted() {
    check(
        "环球网援引路透社报道称，订单取消。",
        &[("环球网", None), ("路透社", None)],
    );
    // A person or an unnamed group quoted is not a second citation.
    check("路透社援引知情人士称，订单取消。", &[("路透社", None)]);
}

#[test]
fn combined_reports_cite_each_outlet() {
    check(
        "综合新华社、中新社报道，港口复工。",
        &[("新华社", None), ("中新社", None)],
    );
    let c = cites("标题\n综合新华社、中新社报道，港口复工。\n");
    assert_eq!((c[0].column, c[1].column), (1, 7));
}

#[test]
fn datelines_and_bylines() {
    check("新华社北京5月12日电 港口复工。", &[("新华社", None)]);
    check("（人民日报记者 王某）港口复工。", &[("人民日报", None)]);
    check("(中央社記者 王某)颱風登陸。", &[("中央社", None)]);
    check(
        "新华社北京5月12日电（新华社记者 张三）港口复工。",
        &[("新华社", None)],
    );
    none("本报北京5月12日电（记者 张三）港口复工。");
}

#[test]
fn headlines_after_an_outlet() {
    check(
        "据环球网“美媒：英伟达可能丢掉订单”报道，订单取消。",
        &[("环球网", Some("美媒：英伟达可能丢掉订单"))],
    );
    check(
        "路透社题为「英伟达暂停生产H20芯片」的报道指出，订单取消。",
        &[("路透社", Some("英伟达暂停生产H20芯片"))],
    );
    check(
        "新华社《中国经济稳中向好》一文指出，经济增长5%。",
        &[("新华社", Some("中国经济稳中向好"))],
    );
    check(
        "据新华社『港口全面恢复作业』报道，港口复工。",
        &[("新华社", Some("港口全面恢复作业"))],
    );
    // A quote after a person is speech, not a headline.
    none("他说“我们不会停止接受订单”。");
}

#[test]
fn unnamed_sources_are_citations_without_registry_outlet() {
    let c = cites("标题\n据知情人士透露，谈判已破裂。据美媒报道，交易取消。外媒称，价格上涨。\n");
    let outlets: Vec<_> = c.iter().filter_map(|c| c.outlet.as_deref()).collect();
    assert_eq!(outlets, vec!["知情人士", "美媒", "外媒"]);
    assert!(c.iter().all(|c| c.registry_outlet.is_none()), "{c:?}");
    none("业内人士认为，冲击是短期的。");
}

#[test]
fn chinese_look_alikes_are_not_citations() {
    none("他在新华社工作了十年。");
    none("新华社是国家通讯社。");
    none("据了解，港口已复工。");
    none("来源于美国的压力越来越大。");
}

#[test]
fn english_forms() {
    let c = cites("Title\nThe port reopened on Monday, according to Reuters.\nSource: AP — \"Port strike ends after three weeks\"\n");
    assert_eq!(c.len(), 2);
    assert_eq!(c[0].outlet.as_deref(), Some("Reuters"));
    assert_eq!(c[1].outlet.as_deref(), Some("AP"));
    assert_eq!(
        c[1].headline.as_deref(),
        Some("Port strike ends after three weeks")
    );
}

#[test]
fn english_inline_attributions() {
    check(
        "The BBC reported that the plant will close.",
        &[("BBC", None)],
    );
    check("Reuters reported the deal on Monday.", &[("Reuters", None)]);
    check(
        "The port reopened, the Associated Press said.",
        &[("Associated Press", None)],
    );
    check(
        "The story was first reported by Reuters.",
        &[("Reuters", None)],
    );
    check(
        "Shares fell 5%, as first reported by the BBC.",
        &[("BBC", None)],
    );
    check("Shares fell 5%, via Reuters.", &[("Reuters", None)]);
    check("Shares fell 5%, per AP.", &[("AP", None)]);
    check(
        "Shares fell, according to a Reuters report.",
        &[("Reuters", None)],
    );
    check(
        "The chief executive told Reuters the plan was final.",
        &[("Reuters", None)],
    );
}

#[test]
fn english_datelines() {
    check(
        "WASHINGTON (Reuters) - The U.S. tightened rules.",
        &[("Reuters", None)],
    );
    check("(AP) — The port reopened.", &[("AP", None)]);
    check(
        "BEIJING, May 12 (Xinhua) -- Exports rose 5%.",
        &[("Xinhua", None)],
    );
    none("The plan (Phase 2) - a draft - was shelved.");
}

#[test]
fn english_look_alikes_are_not_citations() {
    none("Reuters is a news agency.");
    none("He worked at Xinhua for ten years.");
    none("The company said profits rose.");
    none("Analysts said the quarter was strong.");
    none("Prices rose 3 per cent.");
    none("He arrived via Heathrow.");
}

#[test]
fn english_source_lists() {
    check(
        "Sources: Reuters, \"Halvern revenue rises\"; AP, \"Halvern shares jump\"",
        &[
            ("Reuters", Some("Halvern revenue rises")),
            ("AP", Some("Halvern shares jump")),
        ],
    );
    let c = cites("Title\nSources: Reuters, \"A b c d\"; AP, \"E f g h\"\n");
    assert_eq!((c[0].column, c[1].column), (1, 30));
    check("Source: Reuters", &[("Reuters", None)]);
    none("Sources:");
}

#[test]
fn reference_lists_and_footnotes() {
    let c = cites("Title\n[1] Reuters, \"Halvern revenue rises 5.3%\", 12 May 2024, https://www.reuters.com/x\n1. AP — \"Halvern shares jump\" (https://apnews.com/y)\n");
    assert_eq!(c.len(), 2, "{c:?}");
    assert_eq!(c[0].kind, CitationKind::SourceLine);
    assert_eq!(c[0].outlet.as_deref(), Some("Reuters"));
    assert_eq!(c[0].headline.as_deref(), Some("Halvern revenue rises 5.3%"));
    assert_eq!(c[0].date.as_deref(), Some("12 May 2024"));
    assert_eq!(c[0].url.as_deref(), Some("https://www.reuters.com/x"));
    assert_eq!(c[1].outlet.as_deref(), Some("AP"));
    assert_eq!(c[1].headline.as_deref(), Some("Halvern shares jump"));
    assert_eq!(c[1].url.as_deref(), Some("https://apnews.com/y"));
    assert_eq!(c[1].date, None);
    check(
        "[2] 新华社：《中国经济稳中向好》，2024年5月12日",
        &[("新华社", Some("中国经济稳中向好"))],
    );
    // A numbered paragraph of prose is not a reference.
    none("1. The company said it would cut 5% of jobs.");
}

#[test]
fn markdown_reference_lists_and_footnotes() {
    let md = "# T\n\nShares rose.[^1]\n\n1. Reuters, \"Halvern revenue rises\", May 12, 2024\n2. AP — [Halvern shares jump after outlook](https://apnews.com/y)\n\n[^1]: BBC, \"Halvern considering sale of chip plant\", 2024-05-12\n";
    let c = cites_in("a.md", md);
    let got: Vec<_> = c
        .iter()
        .map(|c| {
            (
                c.outlet.as_deref(),
                c.headline.as_deref(),
                c.url.as_deref(),
                c.date.as_deref(),
                c.line,
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            (
                Some("Reuters"),
                Some("Halvern revenue rises"),
                None,
                Some("May 12, 2024"),
                5
            ),
            (
                Some("AP"),
                Some("Halvern shares jump after outlook"),
                Some("https://apnews.com/y"),
                None,
                6
            ),
            (
                Some("BBC"),
                Some("Halvern considering sale of chip plant"),
                None,
                Some("2024-05-12"),
                8
            ),
        ]
    );
}

#[test]
fn markdown_links_and_bare_urls() {
    let c = cites_in(
        "a.md",
        "# T\n\nSee [Port strike ends after three weeks](https://apnews.com/article/x) and https://www.bbc.com/news/y.\n",
    );
    assert_eq!(c.len(), 2, "{c:?}");
    assert_eq!(c[0].url.as_deref(), Some("https://apnews.com/article/x"));
    assert_eq!(
        c[0].headline.as_deref(),
        Some("Port strike ends after three weeks")
    );
    assert_eq!(c[1].url.as_deref(), Some("https://www.bbc.com/news/y"));
}

#[test]
fn markdown_reference_style_links_carry_their_url() {
    let c = cites_in(
        "a.md",
        "# T\n\nSee [Port strike ends after three weeks][1] for more.\n\n[1]: https://apnews.com/article/x \"Port strike ends\"\n",
    );
    assert_eq!(c.len(), 1, "{c:?}");
    assert_eq!(c[0].url.as_deref(), Some("https://apnews.com/article/x"));
    assert_eq!(c[0].registry_outlet.as_deref(), Some("美联社"));
    assert_eq!((c[0].line, c[0].column), (3, 5));
}

#[test]
fn html_cites_and_footnote_sections() {
    let html = "<html><body>\n<h1>Port reopens</h1>\n<blockquote cite=\"https://www.reuters.com/a\"><p>The port is open.</p></blockquote>\n<p>Shares rose, according to <cite>Reuters</cite>.</p>\n<p>See <cite>Halvern shares jump after outlook</cite>.</p>\n<section class=\"footnotes\"><ol>\n<li id=\"fn1\">BBC, \"Halvern considering sale of chip plant\", 12 May 2024 <a href=\"#r1\">↩</a></li>\n</ol></section>\n</body></html>";
    let c = cites_in("a.html", html);
    let got: Vec<_> = c
        .iter()
        .map(|c| {
            (
                c.outlet.as_deref(),
                c.headline.as_deref(),
                c.url.as_deref(),
                c.line,
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            // No outlet is written beside the quote: the registry's name for its host.
            (Some("路透社"), None, Some("https://www.reuters.com/a"), 3),
            (Some("Reuters"), None, None, 4),
            (None, Some("Halvern shares jump after outlook"), None, 5),
            (
                Some("BBC"),
                Some("Halvern considering sale of chip plant"),
                None,
                7
            ),
        ]
    );
    assert_eq!(c[0].registry_outlet.as_deref(), Some("路透社"));
}

#[test]
fn more_chinese_report_shapes() {
    check("据韩联社10日报道，投票率为67%。", &[("韩联社", None)]);
    check(
        "央视新闻客户端消息，运输组织将优化。",
        &[("央视新闻客户端", None)],
    );
    check(
        "中時新聞網報導，總經費約1162億元。",
        &[("中時新聞網", None)],
    );
    check("南華早報報道指，港府將檢討收費。", &[("南華早報", None)]);
    check("綜合外電報導，民調顯示支持率上升。", &[("外電", None)]);
    check(
        "《香港01》則以「租金再破頂 中小型單位最搶手」為題報道，租金上漲。",
        &[("香港01", Some("租金再破頂 中小型單位最搶手"))],
    );
    check(
        "《人民日报》在题为“5G应用加速向千行百业延伸”的报道中指出，应用已融入74个大类。",
        &[("人民日报", Some("5G应用加速向千行百业延伸"))],
    );
    check(
        "第一财经也发表了题为「带押过户一年节省交易成本逾百亿元」的报道，称成本下降。",
        &[("第一财经", Some("带押过户一年节省交易成本逾百亿元"))],
    );
}

#[test]
fn more_english_shapes() {
    check(
        "REDDING, Calif. (AP) — A wildfire burned 14,000 acres.",
        &[("AP", None)],
    );
    check(
        "A Bloomberg News analysis found that bills fell 18%.",
        &[("Bloomberg News", None)],
    );
}

#[test]
fn link_text_that_is_an_attribution_is_no_headline() {
    let c = cites_in(
        "a.md",
        "# T\n\nThe bank was fined, [according to the Associated Press](https://apnews.com/article/x).\n",
    );
    assert_eq!(c.len(), 1, "{c:?}");
    assert_eq!(c[0].outlet.as_deref(), Some("Associated Press"));
    assert_eq!(c[0].headline, None);
    assert_eq!(c[0].url.as_deref(), Some("https://apnews.com/article/x"));
}

#[test]
fn html_cite_headline_takes_the_outlet_beside_it() {
    let c = cites_in(
        "a.html",
        "<html><body><h1>T</h1>\n<p>An analysis, <cite>Why copper is the new oil</cite>, appeared in The Economist in March.</p>\n</body></html>",
    );
    assert_eq!(c.len(), 1, "{c:?}");
    assert_eq!(c[0].outlet.as_deref(), Some("Economist"));
    assert_eq!(c[0].headline.as_deref(), Some("Why copper is the new oil"));
    assert_eq!(c[0].line, 2);
}

#[test]
fn html_blocks_split_by_markup_keep_their_line() {
    let c = cites_in(
        "a.html",
        "<html><head><title>港口复工</title></head><body>\n<h1>港口复工</h1>\n\n<p>据<a href=\"https://www.news.cn/a.html\">新华社</a>报道，港口已恢复作业。</p>\n</body></html>",
    );
    assert_eq!(c.len(), 1, "{c:?}");
    assert_eq!(c[0].outlet.as_deref(), Some("新华社"));
    assert_eq!(c[0].url.as_deref(), Some("https://www.news.cn/a.html"));
    assert_eq!(c[0].line, 4);
}

/// `(outlet, registry outlet, headline, url)` of every citation of an article.
type Row = (
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
);

fn rows(path: &str, text: &str) -> Vec<Row> {
    cites_in(path, text)
        .into_iter()
        .map(|c| (c.outlet, c.registry_outlet, c.headline, c.url))
        .collect()
}

fn row(
    outlet: Option<&str>,
    registry: Option<&str>,
    headline: Option<&str>,
    url: Option<&str>,
) -> Row {
    (
        outlet.map(str::to_string),
        registry.map(str::to_string),
        headline.map(str::to_string),
        url.map(str::to_string),
    )
}

#[test]
fn outlet_named_only_by_the_links_domain() {
    let g = "https://www.theguardian.com/uk-news/2024/may/13/library";
    let b = "https://www.bbc.co.uk/news/articles/c4nn2l8v9wxo";
    let md = format!(
        "# T\n\nThe vote was covered by the Guardian: [Council votes to close three library branches]({g}).\n\n[Library visits fell by a fifth in a decade]({b}) was quoted.\n\nData: https://www.reuters.com/world/turnout-2024-05-12/ and https://stats.example.org/t.csv\n"
    );
    assert_eq!(
        rows("a.md", &md),
        vec![
            // Written beside the link: the name as written.
            row(
                Some("Guardian"),
                Some("The Guardian"),
                Some("Council votes to close three library branches"),
                Some(g)
            ),
            // Only the host names it: the registry's name, never null.
            row(
                Some("BBC"),
                Some("BBC"),
                Some("Library visits fell by a fifth in a decade"),
                Some(b)
            ),
            row(
                Some("路透社"),
                Some("路透社"),
                None,
                Some("https://www.reuters.com/world/turnout-2024-05-12/")
            ),
            // A host the registry does not know names no outlet.
            row(None, None, None, Some("https://stats.example.org/t.csv")),
        ]
    );
    // The host inside a written URL is not the outlet "as written".
    let c = cites_in("a.md", &format!("# T\n\nSee {g} for the vote.\n"));
    assert_eq!(c[0].outlet.as_deref(), Some("The Guardian"), "{c:?}");
}

#[test]
fn section_tags_are_not_outlets() {
    check(
        "【财经观察】环球网报道称，出口量同比增长26.7%。",
        &[("环球网", None)],
    );
    check("【国际】路透社报道称，订单被取消。", &[("路透社", None)]);
    check("[国际]新华社报道称，港口复工。", &[("新华社", None)]);
    check("「專題」中央社報導，颱風登陸。", &[("中央社", None)]);
    check("【兩岸】聯合報報導，航班取消。", &[("聯合報", None)]);
    check(
        "〔产业链〕据中国新闻网消息，装车量增长。",
        &[("中国新闻网", None)],
    );
    // A tag that is itself an attribution cites its outlet.
    check(
        "【环球网报道 记者 李明】车企将新建3座工厂。",
        &[("环球网", None)],
    );
    // A section's name is never a made-up outlet.
    none("【财经早报】11月12日讯 新能源汽车板块今日整体上涨。");
    none("【深度】行业分析人士认为，海外建厂将成为主要方式。");
    none("「防災特報」颱風警報期間請民眾避免前往海邊。");
    // An outlet's name in corner quotes is no section.
    check("「明報」報道，港府將檢討收費。", &[("明報", None)]);
    let c = cites("标题\n【财经观察】环球网报道称，订单取消。\n");
    assert_eq!(c[0].column, 7, "the citation starts at the outlet: {c:?}");
}

#[test]
fn quoted_outlet_with_a_quoted_headline() {
    check(
        "《环球时报》以《寒潮来袭 多省电网负荷连创新高》为题报道，负荷刷新纪录。",
        &[("环球时报", Some("寒潮来袭 多省电网负荷连创新高"))],
    );
    check(
        "另据《人民日报》题为《迎峰度冬 电力供应总体平稳》的报道，发电量增长8.4%。",
        &[("人民日报", Some("迎峰度冬 电力供应总体平稳"))],
    );
    check(
        "《聯合報》以《科學園區缺工逾萬人》為題報導，缺口超過1萬2千人。",
        &[("聯合報", Some("科學園區缺工逾萬人"))],
    );
    check(
        "另據《自由時報》題為《晶圓廠擴產 工程師起薪再調升》的報導，起薪調高。",
        &[("自由時報", Some("晶圓廠擴產 工程師起薪再調升"))],
    );
    check(
        "「明報」以「港府推人才簽證新計劃」為題報道，批出逾6萬宗申請。",
        &[("明報", Some("港府推人才簽證新計劃"))],
    );
    check(
        "《经济日报》日前刊发题为《煤电仍是保供“压舱石”》的文章，指出占比下降。",
        &[("经济日报", Some("煤电仍是保供“压舱石”"))],
    );
    let c = cites("标题\n另据《人民日报》题为《港口全面恢复作业》的报道，港口复工。\n");
    assert_eq!(c[0].column, 2, "starts at 据: {c:?}");
    // Two titles of documents side by side are no citation.
    none("专家提醒，《电力安全工作规程》《用电管理办法》等文件要求做好准备。");
    none("他说「我们会以「安全第一」为题开会」。");
}

#[test]
fn full_name_with_short_name_in_brackets() {
    check(
        "美国有线电视新闻网（CNN）报道，提前投票人数超过4100万。",
        &[("CNN", None)],
    );
    check(
        "美國有線電視新聞網（CNN）報導，利率已具限制性。",
        &[("CNN", None)],
    );
    check(
        "据英国广播公司（BBC）报道，选票处理变慢。",
        &[("BBC", None)],
    );
    check(
        "日本广播协会（NHK）援引官员称，登记人数增加。",
        &[("NHK", None)],
    );
    check(
        "彭博社（Bloomberg）引述交易員說法指出，降息75個基點。",
        &[("Bloomberg", None)],
    );
    let c = cites("标题\n美国有线电视新闻网（CNN）报道，投票率上升。\n");
    assert_eq!(c[0].registry_outlet.as_deref(), Some("CNN"));
    assert_eq!(c[0].column, 1, "starts at the full name: {c:?}");
    // Both names are the registry's, and they must name one outlet.
    let registry = OutletRegistry::builtin();
    assert_eq!(
        registry.lookup("美国有线电视新闻网").map(|o| &o.id),
        registry.lookup("CNN").map(|o| &o.id)
    );
    none("美国有线电视新闻网（BBC）报道，投票率上升。");
    none("分析人士认为（非官方统计）报道的数字可能偏高。");
    check(
        "Fares will rise 4.9%, the British Broadcasting Corporation (BBC) reported.",
        &[("BBC", None)],
    );
}

#[test]
fn outlet_and_url_in_brackets_are_one_citation() {
    let r = "https://www.reuters.com/world/us/portland-air-2024-08-13/";
    let a = "https://apnews.com/article/oregon-smoke-4f2a9c";
    let txt = format!(
        "T\nAir quality reached the hazardous band (Reuters, {r}).\nShelters opened (AP, 13 August 2024, {a}).\nWinds shift Thursday (The Oregonian, https://www.oregonlive.com/w.html).\nAdmissions rose (see the county dashboard, https://health.example.gov/d).\n"
    );
    let c = cites_in("a.txt", &txt);
    assert_eq!(c.len(), 4, "{c:?}");
    assert_eq!(
        (c[0].outlet.as_deref(), c[0].url.as_deref()),
        (Some("Reuters"), Some(r))
    );
    assert_eq!(
        (
            c[1].outlet.as_deref(),
            c[1].url.as_deref(),
            c[1].date.as_deref()
        ),
        (Some("AP"), Some(a), Some("13 August 2024"))
    );
    assert_eq!(c[2].outlet.as_deref(), Some("Oregonian"));
    assert_eq!(c[2].registry_outlet, None);
    // Words that are no name leave an outlet-less link.
    assert_eq!(
        (c[3].outlet.as_deref(), c[3].url.as_deref()),
        (None, Some("https://health.example.gov/d"))
    );
    // An unknown name beside a URL counts only when the URL's host carries it.
    let p = cites("T\nThe video spread fast (Jane Porter, https://x.com/janeporter/status/1).\n");
    assert_eq!(
        (p[0].outlet.as_deref(), p[0].url.as_deref()),
        (None, Some("https://x.com/janeporter/status/1")),
        "{p:?}"
    );
    let zh = "标题\n出口额达1.7万亿元（新华社，https://www.news.cn/f/1.html）。包裹约58亿件（据中国新闻网，https://www.chinanews.com.cn/cj/2.shtml）。\n";
    let c = cites(zh);
    let got: Vec<_> = c
        .iter()
        .map(|c| (c.outlet.as_deref(), c.url.as_deref()))
        .collect();
    assert_eq!(
        got,
        vec![
            (Some("新华社"), Some("https://www.news.cn/f/1.html")),
            (
                Some("中国新闻网"),
                Some("https://www.chinanews.com.cn/cj/2.shtml")
            ),
        ]
    );
    check(
        "出口增長約兩成（中央社，2024年10月19日，https://www.cna.com.tw/news/1.aspx）。",
        &[("中央社", None)],
    );
}

#[test]
fn traditional_outlet_names_normalise_to_one_registry_name() {
    let cases = [
        ("據路透報導，指數創新高。", "路透", "路透社"),
        ("據路透社報導，指數創新高。", "路透社", "路透社"),
        ("美聯社報導，日經指數收漲。", "美聯社", "美联社"),
        ("據中央社報導，外資買超。", "中央社", "中央社"),
        ("聯合報報導，航班取消。", "聯合報", "联合报"),
        ("自由時報報導，股價收高。", "自由時報", "自由时报"),
        ("據明報報道，恒指收升。", "明報", "明报"),
        ("BBC中文網報導，指數收漲。", "BBC中文網", "BBC"),
        ("紐約時報報導，期貨走高。", "紐約時報", "The New York Times"),
        ("據「明報」報道，恒指收升。", "明報", "明报"),
        ("「自由時報」報導，市值突破28兆元。", "自由時報", "自由时报"),
        (
            "分析師引述《工商時報》報導指出，外資買超。",
            "工商時報",
            "工商时报",
        ),
        ("據端傳媒報導，訪談刊出。", "端傳媒", "端传媒"),
    ];
    for (text, outlet, registry) in cases {
        let c = cites(&format!("标题\n{text}\n"));
        let got: Vec<_> = c
            .iter()
            .map(|c| (c.outlet.as_deref(), c.registry_outlet.as_deref()))
            .collect();
        assert_eq!(got, vec![(Some(outlet), Some(registry))], "{text}");
    }
}

#[test]
fn an_attribution_and_its_link_are_one_citation_whatever_the_host() {
    // An archived copy: the host is not the outlet's, the link's text is.
    let md = "# T\n\nTurnout rose to 67%, according to [Reuters](https://archive.ph/Xq7Lm).\n\n据[新华社](https://h.xinhuaxmt.com/vh512/share/1)报道，港口已恢复作业。\n\nShares fell, [Reuters reported](https://archive.ph/b2RkT).\n\n據[中央社](https://archive.ph/Tw9pQ)報導，颱風登陸。\n";
    assert_eq!(
        rows("a.md", md),
        vec![
            row(
                Some("Reuters"),
                Some("路透社"),
                None,
                Some("https://archive.ph/Xq7Lm")
            ),
            row(
                Some("新华社"),
                Some("新华社"),
                None,
                Some("https://h.xinhuaxmt.com/vh512/share/1")
            ),
            row(
                Some("Reuters"),
                Some("路透社"),
                None,
                Some("https://archive.ph/b2RkT")
            ),
            row(
                Some("中央社"),
                Some("中央社"),
                None,
                Some("https://archive.ph/Tw9pQ")
            ),
        ]
    );
    let html = "<html><body><h1>T</h1>\n<p>Turnout rose, according to <a href=\"http://127.0.0.1:8080/r.html\">Reuters</a>.</p>\n<p>据<a href=\"http://127.0.0.1:8080/x.html\">新华社</a>报道，港口复工。</p>\n</body></html>";
    let c = cites_in("a.html", html);
    assert_eq!(c.len(), 2, "{c:?}");
    assert_eq!(c[0].kind, CitationKind::Link);
    assert_eq!(c[0].url.as_deref(), Some("http://127.0.0.1:8080/r.html"));
    assert_eq!(c[1].url.as_deref(), Some("http://127.0.0.1:8080/x.html"));
    // A link to another outlet on the line stays its own citation.
    let c = cites_in(
        "a.md",
        "# T\n\nThe port reopened, according to Reuters; see also [AP](https://archive.ph/q1).\n",
    );
    assert_eq!(c.len(), 2, "{c:?}");
    assert_eq!(c[0].url, None);
    assert_eq!(c[1].outlet.as_deref(), Some("AP"));
}

#[test]
fn kin_of_the_bracketed_and_quoted_forms() {
    check(
        "据英国《金融时报》（FT）报道，投票率上升。",
        &[("FT", None)],
    );
    check(
        "《华尔街日报》（WSJ）援引知情人士称，谈判破裂。",
        &[("WSJ", None)],
    );
    check(
        "据美国彭博社（Bloomberg）11日报道，油价上涨。",
        &[("Bloomberg", None)],
    );
    check(
        "据《南华早报》（SCMP）网站报道，租金上涨。",
        &[("SCMP", None)],
    );
    check("據美聯社（AP）報導，投票率上升。", &[("AP", None)]);
    check("据台湾“中央社”报道，台风登陆。", &[("中央社", None)]);
    check(
        "据美国《纽约时报》报道，投票率上升。",
        &[("纽约时报", None)],
    );
    check("【环球时报综合报道】投票率上升。", &[("环球时报", None)]);
    // Quoted words that are no registry outlet are speech, not a source.
    none("他说“我们很满意”报道的内容。");
    check("Turnout rose to 67% (Source: CNN).", &[("CNN", None)]);
    check("Turnout rose to 67% (via Reuters).", &[("Reuters", None)]);
    none("Turnout rose to 67% (source: internal estimates).");
    let c = cites("标题\n据英国《金融时报》（FT）报道，投票率上升。\n");
    assert_eq!(c[0].registry_outlet.as_deref(), Some("Financial Times"));
    // 英国 is no part of the name: the citation starts at the outlet's mark.
    assert_eq!(c[0].column, 4, "{c:?}");
}

#[test]
fn papers_the_registry_does_not_know_cite_before_a_verb_of_saying() {
    check(
        "法国星期天报说，马克龙星期一在莫斯科与普京会面。",
        &[("法国星期天报", None)],
    );
    check(
        "此外，巴彦淖尔日报报道，当地降雨偏多。",
        &[("巴彦淖尔日报", None)],
    );
    check("香港信報指出，樓價下跌。", &[("信報", None)]);
    // The article's own words about a paper already named, and a platform, are no source.
    none("报纸说，基辅现在也成了外交舞台。");
    none("该报称，谈判陷入僵局。");
    none("本台报道，台风登陆。");
    none("平台称，用户数增长。");
    none("美国的报说法不一。");
}

/// Links of a saved page: navigation, related lists, share buttons, tag pages, images and ads
/// never cite; a source line, a link in running text and a Sources list do.
#[test]
fn saved_page_links_cite_only_from_the_article_text() {
    let html = r#"<!DOCTYPE html><html><head><title>Turnout rose - Daily Example</title></head>
<body>
<nav><a href="https://example-daily.com/">Home</a> <a href="https://example-daily.com/world/">World</a></nav>
<article>
<h1>Turnout rose in the city vote</h1>
<p>Turnout rose to 67 percent, as <a href="https://www.reuters.com/world/turnout-rises-2024-05-02/">Reuters reported</a> on Thursday, the highest in a decade.</p>
<p>Officials expected more voters at the second round.<br>
·<a href="https://example-daily.com/2024/05/01/other-story.html">Another story about the weather</a>（2024-05-01）<br>
·<a href="https://example-daily.com/2024/05/01/third-story.html">A third unrelated headline here</a>（2024-05-01）<br></p>
<p><a href="https://example-daily.com/tag/elections/">elections</a> <a href="https://www.facebook.com/sharer/sharer.php?u=x">Share</a></p>
<p><a href="https://example-daily.com/img/photo.jpg">Photo</a> and <a href="https://ad.doubleclick.net/click?x=1">an advert that reads like text</a> in a row.</p>
<p>来源：<a href="https://www.xinhuanet.com/world/2024-05/02/c_1.htm">新华网</a></p>
<h2>Sources</h2>
<ul><li><a href="https://apnews.com/article/turnout-2024">AP: Turnout climbs</a></li></ul>
</article>
<div class="related"><ul><li><a href="https://example-daily.com/2024/05/02/related.html">Related story</a></li></ul></div>
<footer><a href="https://example-daily.com/about">About us</a></footer>
</body></html>"#;
    let urls: Vec<String> = cites_in("page.html", html)
        .into_iter()
        .filter_map(|c| c.url)
        .collect();
    assert!(
        urls.iter().any(|u| u.contains("reuters.com/world/turnout")),
        "the in-text link cites: {urls:?}"
    );
    assert!(
        urls.iter().any(|u| u.contains("xinhuanet.com")),
        "the source line cites: {urls:?}"
    );
    assert!(
        urls.iter().any(|u| u.contains("apnews.com")),
        "the Sources list cites: {urls:?}"
    );
    for dropped in [
        "other-story",
        "third-story",
        "/tag/",
        "sharer",
        "photo.jpg",
        "doubleclick",
        "related.html",
        "/about",
        "/world/\"",
    ] {
        assert!(
            !urls.iter().any(|u| u.contains(dropped)),
            "{dropped} must not cite: {urls:?}"
        );
    }
    assert_eq!(urls.len(), 3, "{urls:?}");
}

/// A Chinese portal's page: an image link, keyword links inside sentences, a blog category
/// link and a personal home page written out never cite; a link after `详见` and a registry
/// outlet's home page on a source line do.
#[test]
fn portal_image_keyword_and_home_page_links_do_not_cite() {
    let html = r#"<!DOCTYPE html><html><head><meta charset="utf-8"><title>楼市观察</title></head>
<body><article>
<h1>北四环小户型受追捧</h1>
<p align=center><a href="http://house.example-portal.cn/pic.html"><img src="http://img.example-portal.cn/a.jpg"></a></p>
<p>目前均价8500元，买一套50平方米的<a href="http://house.example-portal.cn/small/index.html">小户型</a>，首付款加上装修差不多12万元。</p>
<p>1月24日，结构早已竣工的<a href="http://house.example-portal.cn/exhibit/1489.shtml">朝阳嘉园</a>举行了开盘仪式。</p>
<p>开盘当天的成交情况详见<a href="http://house.example-portal.cn/2005/0125/deal.shtml">开盘成交</a>一文。</p>
<p>(本文发表于首页<a href="http://blog.example-portal.cn/?cat=7">批评与建议</a>)</p>
<p>关于作者的更多信息，可访问个人网站：http://www.example-author.cn/。</p>
<p>下载地址：http://down.example-portal.cn/upload/2005/08_28/1125233906416.torrent</p>
<p>来源：人民网 http://www.people.com.cn/</p>
</article></body></html>"#;
    let urls: Vec<String> = cites_in("portal.html", html)
        .into_iter()
        .filter_map(|c| c.url)
        .collect();
    assert!(
        urls.iter().any(|u| u.contains("deal.shtml")),
        "the link after 详见 cites: {urls:?}"
    );
    assert!(
        urls.iter().any(|u| u.contains("people.com.cn")),
        "a registry outlet's home page on a source line cites: {urls:?}"
    );
    for dropped in [
        "pic.html",
        "small/index",
        "exhibit/1489",
        "cat=7",
        "example-author",
        ".torrent",
    ] {
        assert!(
            !urls.iter().any(|u| u.contains(dropped)),
            "{dropped} must not cite: {urls:?}"
        );
    }
}

/// A periodical in book-title marks as where a report appeared, with no headline; books,
/// films and a periodical without a verb of publishing never cite.
#[test]
fn periodicals_in_book_title_marks_cite_where_they_published() {
    check(
        "1959年，《华尔街日报》的一篇文章报道说：他不打算放弃这项政策。",
        &[("华尔街日报", None)],
    );
    check(
        "他在1966年接受《纽约时报》采访时曾说：“现在轮到其他人了。”",
        &[("纽约时报", None)],
    );
    check(
        "他1976年在美国《读者文摘》杂志上发表一篇文章。",
        &[("读者文摘", None)],
    );
    check(
        "就在最新的《欧洲心胸外科杂志》上，英国医生发表的文章指出，术后疼痛率为50%。",
        &[("欧洲心胸外科杂志", None)],
    );
    check(
        "(摘自《上海社会科学院学术季刊》2000年第2期，原文约15，000字)《新华文摘》2000年第09期",
        &[("上海社会科学院学术季刊", None), ("新华文摘", None)],
    );
    none("他在《红楼梦》上发表了评论。");
    none("他接受《流浪地球》剧组的邀请。");
    none("《读者文摘》是一本杂志。");
}

/// A paper's edition line and an unregistered outlet after `文章来源：`.
#[test]
fn edition_lines_and_article_source_lines_cite() {
    check(
        "《光明日报》（ 2022年02月13日 02版）",
        &[("光明日报", None)],
    );
    check("文章来源：千龙网", &[("千龙网", None)]);
    none("《三体》（2008年1月1日）");
}

#[test]
fn gbt_7714_references_cite_their_journal_school_or_publisher() {
    check(
        "[3] 周仕仁. 电子商务下的物流配送模式研究[J]. 物流科技, 2011(11): 56-58.",
        &[("物流科技", Some("电子商务下的物流配送模式研究"))],
    );
    check(
        "张磊. 电子商务环境下物流配送路线优化研究[D]: [硕士学位论文]. 成都: 西南交通大学, 2008.",
        &[("西南交通大学", Some("电子商务环境下物流配送路线优化研究"))],
    );
    // The campus in brackets is not part of the school's name.
    check(
        "李强. 配电网规划方法研究[D]. 保定: 华北电力大学(河北), 2006.",
        &[("华北电力大学", Some("配电网规划方法研究"))],
    );
    check(
        "王明, 李华. 现代物流管理[M]. 北京: 对外经济贸易大学出版社, 2005.",
        &[("对外经济贸易大学出版社", Some("现代物流管理"))],
    );
    // A sentence with a bracket and a year is no reference.
    none("他说[笑]. 今年的收成, 2011年比往年好。");
}

/// An old portal's reference table after the article's container, under `参考文献`.
#[test]
fn reference_table_after_the_article_cites() {
    let para =
        "电子商务下的物流配送已经成为国内快递服务的主要领域，买家与卖家都认真负责。".repeat(6);
    let html = format!(
        r#"<html><body><div class="nav"><a href="http://example.cn/">首页</a></div>
<div class="content"><h1>电子商务物流配送研究</h1><p>{para}</p><p>{para}</p><p>{para}</p></div>
<p class="E-Title1">参考文献</p>
<table><tr><td>[1]</td><td><a name="ref1"></a> 周仕仁. 电子商务下的物流配送模式研究[J]. 物流科技, 2011(11): 56-58.</td></tr>
<tr><td>[2]</td><td><a name="ref2"></a> 张磊. 物流配送路线优化研究[D]: [硕士学位论文]. 成都: 西南交通大学, 2008.</td></tr></table>
<div class="footer">版权所有</div></body></html>"#
    );
    let got: Vec<(Option<String>, Option<String>)> = cites_in("page.html", &html)
        .into_iter()
        .map(|c| (c.outlet, c.headline))
        .collect();
    assert_eq!(
        got,
        vec![
            (
                Some("物流科技".to_string()),
                Some("电子商务下的物流配送模式研究".to_string())
            ),
            (
                Some("西南交通大学".to_string()),
                Some("物流配送路线优化研究".to_string())
            ),
        ]
    );
}

/// Profile and entity pages, language home pages and a closing curly quote after a written URL.
#[test]
fn profiles_language_homes_and_quoted_urls() {
    use super::extract::{is_home_page, links_to_a_source};
    assert!(!links_to_a_source(
        "https://crunchbase.com/organization/wework",
        false
    ));
    assert!(is_home_page("http://www.earbooks.example/en"));
    assert!(is_home_page("https://www.example.com/zh-cn/"));
    assert!(!is_home_page("https://www.example.com/news"));
    assert!(!is_home_page("https://www.example.com/en/news/a-story"));
    let urls: Vec<String> =
        cites("标题\nSend yours via “http://www.example-bikes.test/submit-kit-review/” today.\n")
            .into_iter()
            .filter_map(|c| c.url)
            .collect();
    assert!(urls.iter().all(|u| !u.contains('”')), "{urls:?}");
}

#[test]
fn a_wire_agency_byline_cites_the_agency_for_the_whole_article() {
    check("By TOM KRISHER, AP Auto Writer", &[("AP", None)]);
    check("Tom Krisher, Ap Auto Writer", &[("Ap", None)]);
    check(
        "By MARIA LINDQVIST and JOHN OKAFOR, Associated Press Writers",
        &[("Associated Press", None)],
    );
    check("Associated Press", &[("Associated Press", None)]);
    check("By The Associated Press", &[("Associated Press", None)]);
    check("Reuters", &[("Reuters", None)]);
    // With the time of publication after it, as a sports site writes its byline box.
    check(
        "Associated Press November 19, 2019, 9:02 AM",
        &[("Associated Press", None)],
    );
    check("By Reuters | Updated: Mar. 4, 2021", &[("Reuters", None)]);
    // The same byline box twice (one for small screens, one for large) is one citation.
    let c = cites_in(
        "t.html",
        "<html><body><h1>T</h1><div class='sm'><p>Associated Press</p></div><div class='lg'><p>Associated Press</p></div>\n<p>Nadal won the match in straight sets on Tuesday.</p></body></html>",
    );
    assert_eq!(c.len(), 1, "{c:?}");
    let c = cites("标题\nBy TOM KRISHER, AP Auto Writer\n");
    assert_eq!(c[0].kind, CitationKind::SourceLine);
    assert_eq!(c[0].registry_outlet.as_deref(), Some("美联社"));
    // A sentence that names the agency is not a byline, and an unknown agency is not one.
    none("The AP Stylebook is updated every year by its editors at the agency.");
    none("By JANE DOE, Harbour Gazette Writer");
}

#[test]
fn an_interview_given_to_an_outlet_cites_it() {
    check(
        "He said so in an interview with the BBC on Saturday.",
        &[("BBC", None)],
    );
    check(
        "The answers he gave to the BBC interviewer were rife with contradictions.",
        &[("BBC", None)],
    );
    // An interviewer of no outlet the registry knows is nobody's report.
    none("The answers he gave to the Harbour Club interviewer were short.");
    check(
        "His concern, as expressed in the BBC interview, stands out.",
        &[("BBC", None)],
    );
    check(
        "She made the remarks during a televised interview with CNN.",
        &[("CNN", None)],
    );
    // A person interviewed is not an outlet, and an unknown name is not one.
    none("He said so in an interview with John Smith last week.");
    none("He said so in the Harbour Authority interview last week.");
}

#[test]
fn an_unregistered_newspaper_cites_by_its_name() {
    check(
        "He wants the league to act, he told the Pittsburgh Post-Gazette.",
        &[("Pittsburgh Post-Gazette", None)],
    );
    check(
        "The state spent $449,000 on the campaign, according to the Sioux Falls Argus Leader.",
        &[("Sioux Falls Argus Leader", None)],
    );
    // One word is not enough, nor a name that does not end like a newspaper's.
    none("The plan was popular, according to the Journal.");
    none("The plan was popular, according to the Harbour Authority.");
}

#[test]
fn said_via_an_outlet_cites_it() {
    check(
        "\"We lost that game,\" Heyward said, via Brian Batko of the Pittsburgh Post-Gazette.",
        &[("Pittsburgh Post-Gazette", None)],
    );
    check("\"It hurts,\" he said, via Reuters.", &[("Reuters", None)]);
    none("The shipment came via Rotterdam last week.");
}

#[test]
fn portal_credit_lines_cite() {
    check("21世纪经济报道", &[("21世纪经济报道", None)]);
    check("网易商业报道", &[("网易商业报道", None)]);
    check(
        "AUTO.SOHU.COM 2003年11月12日16:36　 金羊网—新快报",
        &[("金羊网", None), ("新快报", None)],
    );
    // A line that only starts with an outlet's name is not a credit line.
    none("新华社记者走进田间地头");
    none("2003年11月12日 下午三点开会");
}

#[test]
fn an_old_portals_source_cell_below_the_article_cites() {
    let body: String = (0..6)
        .map(|i| {
            format!(
                "<p>第{i}段：广汽与现代的合资谈判历时八个月，双方在今年五月最终确定了基础协议框架，\
                 新公司将生产商用车。</p>"
            )
        })
        .collect();
    let html = format!(
        "<html><head><meta charset=\"utf-8\"><title>合资内幕</title></head><body>\
         <table><tr><td><a href=\"/\">首页</a> <a href=\"/auto\">汽车</a></td></tr></table>\
         <table><tr><td><div class=\"content\"><h1>广汽现代合资内幕</h1>{body}</div></td></tr></table>\
         <table width=\"100%\"><tr><td>编辑：\n 金金</td><td align=\"right\">来源：\n 21世纪经济报道\n</td>\
         <td align=\"right\">作者：宋怡</td></tr></table>\
         <div>相关新闻 <a href=\"/a.html\">车市观察</a></div></body></html>"
    );
    let c = cites_in("a.html", &html);
    let outlets: Vec<&str> = c.iter().filter_map(|c| c.outlet.as_deref()).collect();
    assert_eq!(outlets, vec!["21世纪经济报道"], "{c:#?}");
}

#[test]
fn a_periodical_named_then_publishing_cites() {
    check(
        "2003年，美国《外科年鉴》刊登的一篇文章显示，222例病人中有26例发生瘘。",
        &[("外科年鉴", None)],
    );
    check(
        "2001年，《英国运动医学专刊》（British Journal of Sports Medicine）发表了一项研究。",
        &[("英国运动医学专刊", None)],
    );
    // A book is not a periodical, whatever follows it.
    none("《红楼梦》刊登在许多选本里。");
}

#[test]
fn a_portal_desk_after_a_source_label_is_its_outlet() {
    let c = cites("标题\n\n来源：网易商业报道\n\n正文。\n");
    assert_eq!(c.len(), 1);
    assert_eq!(c[0].outlet.as_deref(), Some("网易商业报道"));
    assert_eq!(c[0].registry_outlet.as_deref(), Some("网易"));
    // A date and time first, as a portal's date cell writes it.
    let c = cites("标题\n\n2004-12-10 11:55:08 来源: 网易科技\n\n正文。\n");
    assert_eq!(c.len(), 1, "{c:?}");
    assert_eq!(c[0].outlet.as_deref(), Some("网易科技"));
    assert_eq!(c[0].registry_outlet.as_deref(), Some("网易"));
    // A registered name with a long tail is not a desk of it.
    none("来源：网易用户在论坛上的留言整理");
}

#[test]
fn a_date_cell_opens_with_its_date_credit_and_author() {
    for (line, rest) in [
        (
            "发布时间：2022-02-13 04:22:18   来源：云南日报",
            "来源：云南日报",
        ),
        (
            "BUSINESS.SOHU.COM　2004年7月16日08:19 [ 黄宇 ]  来源：[ 国际金融报 ]",
            "来源：[ 国际金融报 ]",
        ),
        (
            "2004-12-10 11:55:08 来源: 网易商业报道",
            "来源: 网易商业报道",
        ),
    ] {
        assert_eq!(after_leading_datetime(line), rest, "{line}");
        assert!(is_source_line(line), "{line}");
    }
    // A sentence that mentions a source is not a date cell, nor is a label with no date.
    for line in [
        "2019年的数据显示，来源：国家统计局",
        "记者 来源：新华社",
        "本报讯 来源：人民网",
    ] {
        assert_eq!(after_leading_datetime(line), line, "{line}");
    }
    let c = cites_in(
        "t.html",
        "<html><body><h1>标题</h1><table><tr><td>2004年7月16日08:19 [ 黄宇 ] 来源：[ <a href='http://www.people.com.cn/GB/paper66/'>国际金融报</a> ]</td></tr></table><p>正文说港口吞吐量增长了百分之九。</p></body></html>",
    );
    assert_eq!(c.len(), 1, "{c:?}");
    assert_eq!(c[0].outlet.as_deref(), Some("国际金融报"));
    assert_eq!(
        c[0].url.as_deref(),
        Some("http://www.people.com.cn/GB/paper66/")
    );
}

#[test]
fn a_dated_credit_cell_beside_the_article_names_its_outlets() {
    let c = cites_in(
        "t.html",
        "<html><body><table><tr><td class=topwhite>AUTO.EXAMPLE.COM&nbsp;&nbsp;2003年11月12日16:36　 金羊网—新快报</td></tr></table>\n<table><tr><td><h1>车展开幕</h1><P>　　本届车展共有十二个国家和地区的一百二十家厂商参展，展出面积达到八万平方米。</P><P>　　主办方表示，首日参观人数超过五万人次，比上届增长约两成。</P></td></tr></table></body></html>",
    );
    let outlets: Vec<&str> = c.iter().filter_map(|c| c.outlet.as_deref()).collect();
    assert_eq!(outlets, ["金羊网", "新快报"], "{c:?}");
}

#[test]
fn an_outlets_own_report_statement_or_pages_cite_it() {
    check(
        "The ministry confirmed the figures in a statement to the Financial Times.",
        &[("Financial Times", None)],
    );
    check(
        "The company declined to comment in an email to CNBC on Friday.",
        &[("CNBC", None)],
    );
    check(
        "The shares fell 5% after a CNBC report on the deal.",
        &[("CNBC", None)],
    );
    check(
        "The AP count showed 1,200 votes separated the candidates.",
        &[("AP", None)],
    );
    check(
        "The Washington Post's analysis found 40 cases of fraud.",
        &[("Washington Post", None)],
    );
    check(
        "The figures were first published in the Economist on Thursday.",
        &[("Economist", None)],
    );
    // Reports, statements and pages of bodies that are not outlets cite nothing.
    none("The figures were in a Senate report published on Thursday.");
    none("The ministry said in a statement to parliament that the figures were final.");
    none("The study was published in Nature Energy last year.");
}

#[test]
fn an_outlets_own_report_without_ju_cites_it() {
    check(
        "日经新闻23日报道，日本港口吞吐量下降了5%。",
        &[("日经新闻", None)],
    );
    check(
        "路透社的一篇报道称，运价已经连续三个月下跌。",
        &[("路透社", None)],
    );
    check(
        "新华社记者从宁波舟山港获悉，一季度集装箱吞吐量同比增长12%。",
        &[("新华社", None)],
    );
    check(
        "界面新闻从多个渠道获悉，该港口集团将于下月上市。",
        &[("界面新闻", None)],
    );
    check(
        "第一财经记者注意到，多家港口企业发布了业绩预告。",
        &[("第一财经", None)],
    );
    // The article's own reporter, and bodies that are not outlets, cite nothing.
    none("记者从交通运输部了解到，港口建设投资增长了8%。");
    none("公司从多个渠道获悉，该项目将于下月开工。");
    none("交通运输部23日称，港口建设投资增长了8%。");
}

#[test]
fn a_rating_by_a_publication_cites_it() {
    check(
        "最近又被美国《消费者报告》评为“最可靠汽车”的索纳塔。",
        &[("消费者报告", None)],
    );
    check("他被《时代》杂志评为年度人物。", &[("时代", None)]);
    // A document lists things; it is no publication's rating.
    none("该方案被《政府工作报告》列为重点任务。");
    // Without the passive it is the name of a rating, not one given by the publication.
    none("《消费者报告》评为的榜单今年没有发布。");
}
