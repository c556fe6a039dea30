//! The selectable items of the built-in topic, as a reader finds them on the
//! page (content/leg-cramps.en.toml; `list::marks_exactly_the_default_items` keeps
//! this table honest).

use crate::util::Text;

/// One selectable item.
pub struct Item {
    /// The id given to `--prevention` or `--treatment`.
    pub id: &'static str,
    /// The bold lead that opens the item on the page.
    pub lead: &'static str,
    /// Whether it prints without being chosen.
    pub default: bool,
}

impl Item {
    /// What the item looks like in extracted text: a bullet, then the lead;
    /// or the lead alone, where a pictogram stands in the bullet's place.
    /// The final period keeps leads that share words apart ("Wear support
    /// stockings." and "Try a support belt.").
    pub fn on_page(&self) -> String {
        if has_picture(self.id) {
            self.lead.to_string()
        } else {
            format!("• {}", self.lead)
        }
    }
}

/// Whether the built-in English item `id` names a pictogram.
pub fn has_picture(id: &str) -> bool {
    handout_content::Topic::builtin()
        .into_iter()
        .find(|topic| topic.id == "leg-cramps" && topic.language == "en")
        .expect("the built-in English leaflet")
        .sections
        .iter()
        .flat_map(|section| &section.items)
        .any(|item| item.id == id && item.picture.is_some())
}

const fn item(id: &'static str, lead: &'static str, default: bool) -> Item {
    Item { id, lead, default }
}

/// The "To prevent it" items, in order.
pub const PREVENTION: &[Item] = &[
    item("walking", "Walk every day.", true),
    item("calcium-magnesium", "Calcium and magnesium.", true),
    item("support-hose", "Support stockings.", true),
    item("exercise", "Exercise often.", true),
    item("calf-stretches", "Stretch your calves.", true),
    item("ankle-rotation", "Move your feet.", true),
    item("side-sleeping", "Sleep on your side.", true),
    item("fluids", "Drink plenty.", true),
    item("support-belt", "Try a support belt.", false),
    item("massage", "Massage your calves.", true),
    item("relief-techniques", "Pain relief skills.", false),
    item("rest", "Get plenty of rest.", true),
    item("movement-breaks", "Take breaks.", true),
];

/// The "When a cramp or pain starts" items, in order.
pub const TREATMENT: &[Item] = &[
    item("moist-heat", "Moist heat.", true),
    item("warm-bath", "Take a warm bath.", true),
    item("pain-relief", "Paracetamol (acetaminophen).", true),
    item("therapist", "Other help.", false),
    item("partner-massage", "Help from your partner.", false),
    item("herbal", "Herbal products.", false),
];

/// Every selectable item.
pub fn all() -> impl Iterator<Item = &'static Item> {
    PREVENTION.iter().chain(TREATMENT)
}

/// The ids of `items` joined with commas, for `--prevention`/`--treatment`.
pub fn ids(items: &[Item]) -> String {
    items
        .iter()
        .map(|item| item.id)
        .collect::<Vec<_>>()
        .join(",")
}

/// The ids of the items of `section` that print by default, in order.
pub fn defaults(section: &[Item]) -> Vec<&'static str> {
    section
        .iter()
        .filter(|item| item.default)
        .map(|item| item.id)
        .collect()
}

/// Asserts that exactly the `chosen` items of `section` are on the page.
#[track_caller]
pub fn assert_items(text: &Text, section: &[Item], chosen: &[&str]) {
    for item in section {
        if chosen.contains(&item.id) {
            text.assert_has(&item.on_page());
        } else {
            text.assert_lacks(&item.on_page());
        }
    }
}
