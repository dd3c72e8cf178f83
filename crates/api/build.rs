//! Rebuilds this crate when the admin panel's build output changes, so the
//! binary embeds the panel that `cargo xtask` just built. Runs no npm.
fn main() {
    let dist = std::path::Path::new("../../web/dist");
    if dist.exists() {
        println!("cargo:rerun-if-changed=../../web/dist");
    } else {
        // Until the first build, watch for dist/ to appear.
        println!("cargo:rerun-if-changed=../../web/package.json");
        println!("cargo:rerun-if-changed=../../web");
    }
}
