//! The JSON Schema of topic files, for an editor's completion and checks
//! as a practice types.

use super::file::RawTopic;

/// The JSON Schema (draft-07) of a topic file, for an editor's completion
/// and checks as a practice types: the Taplo toolkit, and so the Even
/// Better TOML extension, reads it from a `#:schema` line at the top of
/// the file.
pub fn schema() -> String {
    let generator = schemars::generate::SchemaSettings::draft07().into_generator();
    let mut schema = generator.into_root_schema_for::<RawTopic>().to_value();
    for_toml(&mut schema);
    let mut json = serde_json::to_string_pretty(&schema).expect("a schema is JSON");
    json.push('\n');
    json
}

/// Fits a schema made from Rust types to TOML, which has no null: a key
/// that may be left out is not also allowed to be null. Descriptions, from
/// doc comments, are joined into paragraphs for an editor to wrap.
fn for_toml(schema: &mut serde_json::Value) {
    use serde_json::Value;
    let Value::Object(map) = schema else {
        if let Value::Array(values) = schema {
            values.iter_mut().for_each(for_toml);
        }
        return;
    };
    if let Some(Value::Array(types)) = map.get_mut("type") {
        types.retain(|kind| kind != "null");
        if types.len() == 1 {
            let kind = types.remove(0);
            map.insert("type".to_string(), kind);
        }
    }
    if let Some(Value::Array(options)) = map.get_mut("anyOf") {
        options.retain(|option| option.get("type").is_none_or(|kind| kind != "null"));
        if options.len() == 1 {
            let only = options.remove(0);
            map.remove("anyOf");
            match only {
                // Draft-07 ignores what stands beside a $ref, such as the
                // description.
                Value::Object(only) if only.contains_key("$ref") => {
                    map.insert("allOf".to_string(), Value::Array(vec![Value::Object(only)]));
                }
                Value::Object(only) => map.extend(only),
                _ => {}
            }
        }
    }
    // A choice of words reads better as an enum: an editor's message then
    // lists the words; Taplo shows each one's description as it completes.
    let words: Option<Vec<(Value, Value)>> = match map.get("oneOf") {
        Some(Value::Array(options)) => options
            .iter()
            .map(|option| {
                Some((
                    option.get("const")?.clone(),
                    option.get("description")?.clone(),
                ))
            })
            .collect(),
        _ => None,
    };
    if let Some(words) = words {
        map.remove("oneOf");
        let (values, docs): (Vec<Value>, Vec<Value>) = words.into_iter().unzip();
        map.insert("type".to_string(), Value::from("string"));
        map.insert("enum".to_string(), Value::Array(values));
        map.insert(
            "x-taplo".to_string(),
            serde_json::json!({ "docs": { "enumValues": docs } }),
        );
    }
    if let Some(Value::String(text)) = map.get_mut("description") {
        *text = text
            .split("\n\n")
            .map(|paragraph| paragraph.split_whitespace().collect::<Vec<_>>().join(" "))
            .collect::<Vec<_>>()
            .join("\n\n");
    }
    map.values_mut().for_each(for_toml);
}
