//! The page's demo data (`www/demo/`, "Try the demo data") is what `scripts/gen-demo.sh` makes:
//! the synth run with the script's own settings gives the committed files byte for byte. (The
//! two local files come from `scripts/gen-demo-local.mjs`; `tests/browser/demo.test.mjs` checks
//! those.)

use std::path::Path;
use std::process::Command;

/// `NAME=value` from the script, so the test and the script cannot drift apart.
fn setting(script: &str, name: &str) -> String {
    script
        .lines()
        .find_map(|line| line.strip_prefix(&format!("{name}=")))
        .unwrap_or_else(|| panic!("scripts/gen-demo.sh sets no {name}"))
        .trim()
        .to_string()
}

#[test]
fn regenerating_the_demo_gives_the_committed_files() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let script = std::fs::read_to_string(root.join("scripts/gen-demo.sh")).unwrap();
    let out = std::env::temp_dir().join(format!("care-scorecard-demo-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&out);
    let status = Command::new(env!("CARGO_BIN_EXE_synth"))
        .args(["--seed", &setting(&script, "SEED")])
        .args(["--children", &setting(&script, "CHILDREN")])
        .args(["--first-year", &setting(&script, "FIRST")])
        .args(["--last-year", &setting(&script, "LAST")])
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert!(
        status.status.success(),
        "synth failed: {}",
        String::from_utf8_lossy(&status.stderr)
    );
    for name in [
        "header.csv",
        "episodes.csv",
        "ad1.csv",
        "placed_adoption.csv",
    ] {
        let made = std::fs::read(out.join(name)).unwrap();
        let committed = std::fs::read(root.join("www/demo").join(name)).unwrap();
        assert!(
            made == committed,
            "www/demo/{name} differs from what scripts/gen-demo.sh makes: rerun it"
        );
    }
    let _ = std::fs::remove_dir_all(&out);
}
