use super::*;
use std::collections::HashMap;

#[derive(serde::Deserialize)]
struct ParityRow {
    premise: String,
    hypothesis: String,
    probabilities: Vec<f32>,
}

#[test]
fn the_forward_pass_reproduces_the_training_tools_probabilities() {
    let rows: Vec<ParityRow> =
        serde_json::from_str(include_str!("../../data/nli-parity.json")).expect("parity file");
    assert!(rows.len() >= 4);
    let model = NliModel::shipped();
    for row in rows {
        let p = model.probabilities(
            &units::units(&row.premise, units::MAX_PREMISE),
            &units::units(&row.hypothesis, MAX_HYPOTHESIS),
        );
        let got = [p.entailment, p.neutral, p.contradiction];
        for (g, want) in got.iter().zip(&row.probabilities) {
            assert!(
                (g - want).abs() < 1e-4,
                "{}: {got:?} against {:?}",
                row.hypothesis,
                row.probabilities
            );
        }
    }
    assert!(model.note.contains("OCNLI"), "{}", model.note);
}

/// A model of the shipped architecture with small made-up weights, written as safetensors.
fn tiny_model_bytes(dim: usize, hidden: usize, wrong_shape: bool) -> Vec<u8> {
    let mut seed: u32 = 7;
    let mut next = || {
        seed = seed.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
        (seed >> 8) as f32 / (1u32 << 24) as f32 - 0.5
    };
    let shapes: Vec<(&str, Vec<usize>)> = vec![
        ("emb.weight", vec![VOCAB, dim]),
        ("proj.weight", vec![hidden, dim]),
        ("proj.bias", vec![hidden]),
        ("attend.weight", vec![hidden, hidden]),
        ("attend.bias", vec![hidden]),
        ("cmp1.weight", vec![hidden, 4 * hidden]),
        ("cmp1.bias", vec![hidden]),
        ("cmp2.weight", vec![hidden, hidden]),
        ("cmp2.bias", vec![hidden]),
        ("agg.weight", vec![hidden, 4 * hidden]),
        ("agg.bias", vec![hidden]),
        ("out.weight", vec![if wrong_shape { 2 } else { 3 }, hidden]),
        ("out.bias", vec![3]),
    ];
    let data: Vec<(String, Vec<usize>, Vec<u8>)> = shapes
        .into_iter()
        .map(|(k, s)| {
            let n: usize = s.iter().product();
            let bytes = (0..n).flat_map(|_| next().to_le_bytes()).collect();
            (k.to_string(), s, bytes)
        })
        .collect();
    let views: Vec<(String, safetensors::tensor::TensorView)> = data
        .iter()
        .map(|(k, s, b)| {
            let view = safetensors::tensor::TensorView::new(safetensors::Dtype::F32, s.clone(), b);
            (k.clone(), view.expect("view"))
        })
        .collect();
    let meta: HashMap<String, String> =
        [("note".to_string(), "tiny test model".to_string())].into();
    safetensors::tensor::serialize(views, Some(meta)).expect("serialize")
}

#[test]
fn a_model_of_the_same_architecture_loads_from_a_file_and_gives_probabilities() {
    let dir = std::env::temp_dir().join(format!("citecheck-nli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("nli.safetensors");
    std::fs::write(&path, tiny_model_bytes(4, 6, false)).unwrap();
    let model = NliModel::from_file(&path).expect("tiny model");
    assert_eq!((model.dim, model.hidden), (4, 6));
    assert_eq!(model.note, "tiny test model");
    let p = model.infer(
        "英伟达宣布停止接受中国订单",
        &["美国考虑限制对中东出口芯片。", "Other news."],
    );
    let sum = p.entailment + p.neutral + p.contradiction;
    assert!((sum - 1.0).abs() < 1e-5 && p.label() < 3, "{p:?}");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_file_that_is_not_such_a_model_is_named_in_the_error() {
    let err = NliModel::from_bytes(&tiny_model_bytes(4, 6, true), "m.safetensors").unwrap_err();
    assert!(
        err.to_string()
            .starts_with("m.safetensors: tensor `out.weight`: shape"),
        "{err}"
    );
    let err = NliModel::from_bytes(b"not a model", "x.bin").unwrap_err();
    assert!(
        err.to_string().starts_with("x.bin: not a safetensors file"),
        "{err}"
    );
    let err = NliModel::from_file(Path::new("/nonexistent/nli.safetensors")).unwrap_err();
    assert!(
        err.to_string()
            .contains("/nonexistent/nli.safetensors: cannot read"),
        "{err}"
    );
}
