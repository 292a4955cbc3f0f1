//! A small gazetteer of the places and organisations news claims turn on, with their names in
//! Chinese (folded to Simplified) and English. A swapped entity (中东 -> 中国) is the most
//! common way a true source is made to support a false claim.

/// What kind of thing an entity is; only entities of the same kind can replace each other.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EntityKind {
    Place,
    Organisation,
    /// Unnamed sources (美媒, foreign media) that report rather than act.
    Media,
}

/// One gazetteer entry: canonical name and the spellings that refer to it.
pub struct Entity {
    pub name: &'static str,
    pub kind: EntityKind,
    pub aliases: &'static [&'static str],
}

use EntityKind::{Media, Organisation as Org, Place};

/// Entries are matched on folded text (Simplified, lower case); longer aliases win.
pub const GAZETTEER: &[Entity] = &[
    Entity {
        name: "中国",
        kind: Place,
        aliases: &[
            "中国",
            "中方",
            "对华",
            "访华",
            "在华",
            "来华",
            "赴华",
            "中国大陆",
            "china",
            "chinese",
            "beijing",
            "北京",
        ],
    },
    Entity {
        name: "美国",
        kind: Place,
        aliases: &[
            "美国",
            "美方",
            "美政府",
            "美国政府",
            "华盛顿",
            "拜登政府",
            "特朗普政府",
            "united states",
            "u.s.",
            "us government",
            "washington",
            "america",
            "american",
        ],
    },
    Entity {
        name: "中东",
        kind: Place,
        aliases: &[
            "中东",
            "中东国家",
            "中东地区",
            "middle east",
            "middle eastern",
            "gulf states",
            "海湾国家",
        ],
    },
    Entity {
        name: "沙特",
        kind: Place,
        aliases: &["沙特", "沙特阿拉伯", "saudi arabia", "saudi"],
    },
    Entity {
        name: "阿联酋",
        kind: Place,
        aliases: &["阿联酋", "阿拉伯联合酋长国", "uae", "united arab emirates"],
    },
    Entity {
        name: "日本",
        kind: Place,
        aliases: &["日本", "japan", "japanese", "东京", "tokyo"],
    },
    Entity {
        name: "韩国",
        kind: Place,
        aliases: &["韩国", "south korea", "korea", "korean", "首尔", "seoul"],
    },
    Entity {
        name: "俄罗斯",
        kind: Place,
        aliases: &["俄罗斯", "俄方", "russia", "russian", "莫斯科", "moscow"],
    },
    Entity {
        name: "印度",
        kind: Place,
        aliases: &["印度", "india", "indian", "新德里"],
    },
    Entity {
        name: "欧盟",
        kind: Place,
        aliases: &[
            "欧盟",
            "欧洲",
            "european union",
            "eu",
            "europe",
            "布鲁塞尔",
            "brussels",
        ],
    },
    Entity {
        name: "英国",
        kind: Place,
        aliases: &[
            "英国",
            "britain",
            "united kingdom",
            "uk",
            "british",
            "伦敦",
            "london",
        ],
    },
    Entity {
        name: "德国",
        kind: Place,
        aliases: &["德国", "germany", "german", "柏林", "berlin"],
    },
    Entity {
        name: "法国",
        kind: Place,
        aliases: &["法国", "france", "french", "巴黎", "paris"],
    },
    Entity {
        name: "台湾",
        kind: Place,
        aliases: &["台湾", "taiwan", "台北", "taipei"],
    },
    Entity {
        name: "香港",
        kind: Place,
        aliases: &["香港", "hong kong"],
    },
    Entity {
        name: "新加坡",
        kind: Place,
        aliases: &["新加坡", "singapore"],
    },
    Entity {
        name: "乌克兰",
        kind: Place,
        aliases: &["乌克兰", "ukraine", "基辅", "kyiv"],
    },
    Entity {
        name: "以色列",
        kind: Place,
        aliases: &["以色列", "israel"],
    },
    Entity {
        name: "伊朗",
        kind: Place,
        aliases: &["伊朗", "iran"],
    },
    Entity {
        name: "越南",
        kind: Place,
        aliases: &["越南", "vietnam"],
    },
    Entity {
        name: "墨西哥",
        kind: Place,
        aliases: &["墨西哥", "mexico"],
    },
    Entity {
        name: "加拿大",
        kind: Place,
        aliases: &["加拿大", "canada"],
    },
    Entity {
        name: "澳大利亚",
        kind: Place,
        aliases: &["澳大利亚", "澳洲", "australia"],
    },
    Entity {
        name: "上海",
        kind: Place,
        aliases: &["上海", "shanghai"],
    },
    Entity {
        name: "深圳",
        kind: Place,
        aliases: &["深圳", "shenzhen"],
    },
    Entity {
        name: "广州",
        kind: Place,
        aliases: &["广州", "guangzhou"],
    },
    Entity {
        name: "宁波",
        kind: Place,
        aliases: &["宁波", "ningbo"],
    },
    Entity {
        name: "鹿特丹",
        kind: Place,
        aliases: &["鹿特丹", "rotterdam"],
    },
    Entity {
        name: "英伟达",
        kind: Org,
        aliases: &["英伟达", "辉达", "nvidia"],
    },
    Entity {
        name: "AMD",
        kind: Org,
        aliases: &["amd", "超威"],
    },
    Entity {
        name: "英特尔",
        kind: Org,
        aliases: &["英特尔", "intel"],
    },
    Entity {
        name: "高通",
        kind: Org,
        aliases: &["高通", "qualcomm"],
    },
    Entity {
        name: "华为",
        kind: Org,
        aliases: &["华为", "huawei"],
    },
    Entity {
        name: "苹果",
        kind: Org,
        aliases: &["苹果公司", "apple"],
    },
    Entity {
        name: "微软",
        kind: Org,
        aliases: &["微软", "microsoft"],
    },
    Entity {
        name: "谷歌",
        kind: Org,
        aliases: &["谷歌", "google", "alphabet"],
    },
    Entity {
        name: "特斯拉",
        kind: Org,
        aliases: &["特斯拉", "tesla"],
    },
    Entity {
        name: "台积电",
        kind: Org,
        aliases: &["台积电", "tsmc"],
    },
    Entity {
        name: "三星",
        kind: Org,
        aliases: &["三星", "samsung"],
    },
    Entity {
        name: "百度",
        kind: Org,
        aliases: &["百度", "baidu"],
    },
    Entity {
        name: "阿里巴巴",
        kind: Org,
        aliases: &["阿里巴巴", "阿里", "alibaba"],
    },
    Entity {
        name: "腾讯",
        kind: Org,
        aliases: &["腾讯", "tencent"],
    },
    Entity {
        name: "字节跳动",
        kind: Org,
        aliases: &["字节跳动", "bytedance"],
    },
    Entity {
        name: "小米",
        kind: Org,
        aliases: &["小米", "xiaomi"],
    },
    Entity {
        name: "美国商务部",
        kind: Org,
        aliases: &[
            "美国商务部",
            "商务部",
            "commerce department",
            "department of commerce",
        ],
    },
    Entity {
        name: "美联储",
        kind: Org,
        aliases: &["美联储", "federal reserve", "the fed"],
    },
    Entity {
        name: "欧洲央行",
        kind: Org,
        aliases: &["欧洲央行", "european central bank", "ecb"],
    },
    Entity {
        name: "中国人民银行",
        kind: Org,
        aliases: &["中国人民银行", "央行", "people's bank of china", "pboc"],
    },
    Entity {
        name: "波音",
        kind: Org,
        aliases: &["波音", "boeing"],
    },
    Entity {
        name: "空客",
        kind: Org,
        aliases: &["空客", "airbus"],
    },
    Entity {
        name: "美媒",
        kind: Media,
        aliases: &["美媒", "美国媒体", "us media", "american media"],
    },
    Entity {
        name: "外媒",
        kind: Media,
        aliases: &["外媒", "foreign media"],
    },
];

/// One entity found in a text, with byte offsets in the folded text it was found in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mention {
    pub entity: &'static str,
    pub kind: EntityKind,
    pub start: usize,
    pub end: usize,
}

fn is_word_char(c: char) -> bool {
    c.is_ascii_alphanumeric()
}

/// Entities mentioned in `text` (any script), longest alias first, without overlaps.
pub fn mentions(text: &str) -> impl Iterator<Item = Mention> {
    mentions_folded(&crate::text::fold(text)).into_iter()
}

/// Entities mentioned in already folded text, in order of position.
pub fn mentions_folded(folded: &str) -> Vec<Mention> {
    let (matcher, entries) = matcher();
    // Every alias occurrence on word boundaries, then the longest first without overlaps.
    let mut candidates: Vec<(usize, usize, &Entity)> = matcher
        .find_overlapping_iter(folded)
        .filter_map(|m| {
            let (alias, entity) = entries[m.pattern().as_usize()];
            let (start, end) = (m.start(), m.end());
            if alias.is_ascii() {
                let before = folded[..start].chars().next_back();
                let after = folded[end..].chars().next();
                if before.is_some_and(is_word_char) || after.is_some_and(is_word_char) {
                    return None;
                }
            }
            Some((start, end, entity))
        })
        .collect();
    candidates.sort_by_key(|&(start, end, _)| (std::cmp::Reverse(end - start), start));
    let mut found: Vec<Mention> = Vec::new();
    for (start, end, entity) in candidates {
        if found.iter().any(|m| start < m.end && m.start < end) {
            continue;
        }
        found.push(Mention {
            entity: entity.name,
            kind: entity.kind,
            start,
            end,
        });
    }
    found.sort_by_key(|m| m.start);
    found
}

/// Every spelling of the entity named `entity` (its canonical name), gazetteer and alias table
/// together, in table order; empty for a name the gazetteer does not know.
pub fn spellings(entity: &str) -> Vec<&'static str> {
    let (_, entries) = matcher();
    entries
        .iter()
        .filter(|(_, e)| e.name == entity)
        .map(|(alias, _)| *alias)
        .collect()
}

type AliasTable = (
    aho_corasick::AhoCorasick,
    Vec<(&'static str, &'static Entity)>,
);

/// One entry of `data/aliases.toml`.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct AliasEntry {
    name: String,
    kind: String,
    aliases: Vec<String>,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct AliasFile {
    entity: Vec<AliasEntry>,
}

/// The bilingual alias table shipped in `data/aliases.toml`, checked by a unit test.
const ALIASES_TOML: &str = include_str!("../../data/aliases.toml");

/// Gazetteer entries plus the alias table's: new entities are added, known ones gain spellings.
/// Built once; the table's strings live as long as the program (`Box::leak`), like the
/// gazetteer's.
fn all_entries() -> Vec<(&'static str, &'static Entity)> {
    let mut entries: Vec<(&'static str, &'static Entity)> = GAZETTEER
        .iter()
        .flat_map(|e| e.aliases.iter().map(move |a| (*a, e)))
        .collect();
    let file: AliasFile = toml::from_str(ALIASES_TOML).expect("data/aliases.toml parses");
    for e in file.entity {
        let kind = match e.kind.as_str() {
            "place" => Place,
            "media" => Media,
            _ => Org,
        };
        // Built once for the process: what is leaked here stays reachable from the table
        // (leak checkers see no leak), and nothing is leaked that the table does not keep.
        let mut fresh: Vec<String> = Vec::new();
        for a in e.aliases.iter().map(|a| crate::text::fold(a)) {
            if !entries.iter().any(|(x, _)| *x == a) && !fresh.contains(&a) {
                fresh.push(a);
            }
        }
        if fresh.is_empty() {
            continue;
        }
        let fresh: Vec<&'static str> = fresh
            .into_iter()
            .map(|a| &*Box::leak(a.into_boxed_str()))
            .collect();
        let entity: &'static Entity = match GAZETTEER.iter().find(|g| g.name == e.name) {
            Some(g) => g,
            None => Box::leak(Box::new(Entity {
                name: Box::leak(e.name.clone().into_boxed_str()),
                kind,
                aliases: Box::leak(fresh.clone().into_boxed_slice()),
            })),
        };
        entries.extend(fresh.into_iter().map(|a| (a, entity)));
    }
    entries
}

/// One automaton over every alias, built once.
fn matcher() -> &'static AliasTable {
    static MATCHER: std::sync::OnceLock<AliasTable> = std::sync::OnceLock::new();
    MATCHER.get_or_init(|| {
        let entries = all_entries();
        let automaton = aho_corasick::AhoCorasick::new(entries.iter().map(|(a, _)| *a))
            .expect("the gazetteer's aliases build an automaton");
        (automaton, entries)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(text: &str) -> Vec<&'static str> {
        mentions(text).map(|m| m.entity).collect()
    }

    #[test]
    fn finds_entities_in_both_scripts_and_english() {
        assert_eq!(
            names("美国考虑限制英伟达向中东国家出口"),
            vec!["美国", "英伟达", "中东"]
        );
        assert_eq!(names("輝達停止接受中國訂單"), vec!["英伟达", "中国"]);
        assert_eq!(names("因美政府扩大对华芯片出口限制"), vec!["美国", "中国"]);
        assert_eq!(
            names("The U.S. may curb Nvidia sales to the Middle East"),
            vec!["美国", "英伟达", "中东"]
        );
        assert_eq!(names("bus drivers"), Vec::<&str>::new());
    }

    #[test]
    fn alias_table_adds_bilingual_names() {
        assert_eq!(
            names("Bloomberg reported the Gulf states deal"),
            vec!["彭博社", "中东"]
        );
        assert_eq!(names("据彭博社报道，海湾国家"), vec!["彭博社", "中东"]);
        assert_eq!(names("The White House and OPEC"), vec!["白宫", "欧佩克"]);
        assert_eq!(names("the USA and the PRC"), vec!["美国", "中国"]);
        // Ambiguous lower-case words (us, who) are not aliases.
        assert_eq!(names("who told us"), Vec::<&str>::new());
    }
}
