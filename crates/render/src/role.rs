//! What each element on a page is for.
//!
//! Layout gives every element a role, and lists a page's elements in
//! reading order, so that a backend can tag the page for a screen reader (a tagged
//! PDF's structure tree) or mark its decorations as artifacts, with nothing
//! but the document in hand.

use std::fmt;

/// What an element on a page is, as a reader meets it.
///
/// The roles are enough to rebuild the page's structure from its elements in
/// reading order: a [`ListPart::Label`] starts a list item whose body
/// follows it; [`UrgentPart::Box`] opens the urgent box, and the elements with
/// an [`Role::Urgent`] role after it are what it holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    /// The handout's title.
    Title,
    /// The line under the title: whom the handout is for, the weeks of
    /// pregnancy, the date, or their labels.
    Byline,
    /// A section's heading.
    Heading,
    /// A section's heading set again over the rest of its list, at the top
    /// of the next column or side: "To prevent it (continued)". A reader
    /// meets the heading once, where it is first set, so this is read as
    /// page furniture, not as a new section.
    HeadingAgain,
    /// Running text outside a list: the introduction.
    Paragraph,
    /// Part of one item of a section's list.
    ListItem(ListPart),
    /// The urgent box, or what it holds.
    Urgent(UrgentPart),
    /// Part of the midwife's note.
    Note(NotePart),
    /// The footer: a draft's warning, the midwife, the practice, its phone
    /// and address, and the record of the text's version and review.
    Footer,
    /// Large print's "Page 1 of 2 · please turn over" and "Page 2 of 2":
    /// the sheet's furniture, which a reader of the file does not need, as
    /// its words run on from one side to the next.
    Pagination,
    /// The words of the page for more information, "More information:
    /// https://...", in the footer: a link to the address they give.
    Link,
    /// A code to scan for the page of more information: a picture whose
    /// words, the address, are its alternative text.
    Code,
    /// Drawn for looks only, with no text: rules, write-in lines and
    /// background panels.
    Decoration,
}

/// The parts of a list item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ListPart {
    /// The bullet before the item.
    Label,
    /// The item's text, its bold lead included.
    Body,
}

/// The urgent box and what it holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum UrgentPart {
    /// The box itself: its red frame and tint say "urgent" before any word
    /// does.
    Box,
    /// The box's heading.
    Heading,
    /// Part of one of the box's list items.
    Item(ListPart),
}

/// The parts of the midwife's note.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NotePart {
    /// The note's heading.
    Heading,
    /// The note itself.
    Text,
}

impl Role {
    /// Whether the element is decoration only, to be skipped by a reader.
    pub fn is_decoration(self) -> bool {
        self == Role::Decoration
    }

    /// Whether the element is about the one patient: the byline (her name,
    /// her weeks, the day) and the midwife's note. Everything else on a
    /// page is the same for every patient given the same advice at the same
    /// size, which lets the PDF writer compress it once for them all.
    pub fn is_personal(self) -> bool {
        matches!(self, Role::Byline | Role::Note(_))
    }

    /// The role's name in layout dumps, such as "urgent-item-body".
    pub fn name(self) -> &'static str {
        match self {
            Role::Title => "title",
            Role::Byline => "byline",
            Role::Heading => "heading",
            Role::HeadingAgain => "heading-again",
            Role::Paragraph => "paragraph",
            Role::ListItem(ListPart::Label) => "item-label",
            Role::ListItem(ListPart::Body) => "item-body",
            Role::Urgent(UrgentPart::Box) => "urgent-box",
            Role::Urgent(UrgentPart::Heading) => "urgent-heading",
            Role::Urgent(UrgentPart::Item(ListPart::Label)) => "urgent-item-label",
            Role::Urgent(UrgentPart::Item(ListPart::Body)) => "urgent-item-body",
            Role::Note(NotePart::Heading) => "note-heading",
            Role::Note(NotePart::Text) => "note-text",
            Role::Footer => "footer",
            Role::Code => "code",
            Role::Link => "link",
            Role::Pagination => "pagination",
            Role::Decoration => "decoration",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}
