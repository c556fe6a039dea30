//! A handout's file name is never a device, on any system the folder may be
//! copied to.

use crate::util::Test;

#[test]
fn windows_device_names_are_never_a_handouts_name() {
    let roster = "id,name,weeks\nCOM0,Ana,28\nCOM²,Bea,29\nLPT¹,Cas,30\nCONIN$,Dee,31\naux,Eve,32\nCOM10,Fay,33\n";
    let out = Test::batch(roster)
        .args(["--name-template", "{id}"])
        .run()
        .success();
    assert_eq!(
        out.list("out"),
        [
            "COM10.pdf",
            "_COM0.pdf",
            "_COM².pdf",
            "_CONIN$.pdf",
            "_LPT¹.pdf",
            "_aux.pdf",
            "manifest.csv"
        ]
    );
}
