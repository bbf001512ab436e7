//! Incremental builds: a rebuild with the cache renders and writes only what changed, and what
//! it leaves is byte for byte what a clean build (`--no-cache`, empty output) makes — through
//! edited, added and removed documents, corrections, templates, settings, static files, and an
//! output folder touched by hand.

mod common;

use common::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// Builds `site` into `out` (cached, in place) and into a fresh folder with `--no-cache`, and
/// asserts the two are the same files with the same bytes.
fn same_as_clean(site: &Path, out: &Path, step: &str) {
    build(site, out);
    let clean = out.with_file_name(format!("clean-{}", step.replace(' ', "-")));
    let o = accord(&[
        "build",
        "--no-cache",
        "--root",
        site.to_str().unwrap(),
        "--output",
        clean.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let (got, want) = (read_tree(out), read_tree(&clean));
    let differ: Vec<&String> = want
        .keys()
        .chain(got.keys())
        .filter(|k| got.get(*k) != want.get(*k))
        .collect();
    assert!(
        differ.is_empty(),
        "after {step}: the cached build differs from a clean one in {} file(s), e.g. {:?}",
        differ.len(),
        differ.iter().take(5).collect::<Vec<_>>()
    );
}

/// Each file's modification time.
fn mtimes(dir: &Path) -> BTreeMap<String, SystemTime> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            (rel, e.metadata().unwrap().modified().unwrap())
        })
        .collect()
}

/// A temporary folder holding a generated corpus of `n` documents in `site/`, and where its
/// output goes (`public/`, not made yet).
fn generated_site(n: usize) -> (tempfile::TempDir, PathBuf, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    gen_corpus(&site, n);
    let out = dir.path().join("public");
    (dir, site, out)
}

/// The site's documents with extension `ext`, sorted.
fn docs(site: &Path, ext: &str) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(site.join("seeds"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == ext))
        .collect();
    v.sort();
    v
}

fn edit(path: &Path, f: impl FnOnce(String) -> String) {
    let text = std::fs::read_to_string(path).unwrap();
    std::fs::write(path, f(text)).unwrap();
}

#[test]
fn a_cached_rebuild_matches_a_clean_build_through_every_kind_of_change() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    gen_corpus(&site, 40);
    // A small limit, so the briefing comes in volumes, by month in the fuller years.
    std::fs::write(
        site.join("accord.toml"),
        "briefing_limit = 4\ntimeline_limit = 10\npaginate_by = 3\n",
    )
    .unwrap();
    let out = dir.path().join("public");
    same_as_clean(&site, &out, "first build");
    assert!(
        std::fs::read_dir(out.join("briefing")).unwrap().any(|e| {
            let name = e.unwrap().file_name().to_string_lossy().into_owned();
            name.len() == 7 && name[..4].parse::<u16>().is_ok() && name[5..].parse::<u8>().is_ok()
        }),
        "some year comes in volumes by month"
    );
    same_as_clean(&site, &out, "no change");

    edit(&docs(&site, "md")[0], |t| {
        t + "\nUpdate: the partners added two more doctoral fellowships.\n"
    });
    same_as_clean(&site, &out, "an edited document");

    // A partnership announced in another month (and year) moves to another volume.
    edit(&docs(&site, "md")[2], |t| {
        let months = [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ];
        let body = t.rfind("+++").unwrap();
        let (at, month) = months
            .iter()
            .filter_map(|m| Some((body + t[body..].find(&format!(" on {m} "))?, *m)))
            .min()
            .expect("the announcement's date");
        let to = if month == "July" { "February" } else { "July" };
        let year_at = at + t[at..].find(", 20").unwrap() + 2;
        let year: u32 = t[year_at..year_at + 4].parse().unwrap();
        let year = if year == 2021 { 2023 } else { year - 1 };
        format!(
            "{} on {to} {}{year}{}",
            &t[..at],
            &t[at + 4 + month.len() + 1..year_at],
            &t[year_at + 4..]
        )
    });
    same_as_clean(
        &site,
        &out,
        "an announcement moved to another month and year",
    );

    let first_txt = docs(&site, "txt")[0].clone();
    std::fs::copy(&first_txt, site.join("seeds/added-copy-of-a-scrape.txt")).unwrap();
    same_as_clean(&site, &out, "an added document");

    std::fs::remove_file(&docs(&site, "md")[1]).unwrap();
    std::fs::remove_file(&first_txt).unwrap();
    same_as_clean(&site, &out, "removed documents");

    let model = model(&out);
    let org = &model.organizations[0];
    std::fs::write(
        site.join("seeds/corrections.facts.toml"),
        format!(
            "[[organizations]]\nname = {:?}\ncountry = \"Canada\"\n",
            org.name
        ),
    )
    .unwrap();
    same_as_clean(&site, &out, "a correction");

    // Corrections that change what links to a record show on other pages: a partnership's
    // title, two organizations folded into one, a person removed.
    let model = self::model(&out);
    let p = &model.partnerships[0];
    let parties: Vec<String> = p.parties.iter().map(|id| format!("{id:?}")).collect();
    let (a, b) = (&model.organizations[1], &model.organizations[2]);
    let person = &model.people[0];
    std::fs::write(
        site.join("seeds/more.facts.toml"),
        format!(
            "suppress = [{:?}]\n\n[[partnerships]]\nparties = [{}]\ntitle = \"A retitled partnership\"\n\n\
             [[merge]]\ninto = {:?}\nnames = [{:?}]\n",
            person.name,
            parties.join(", "),
            a.name,
            b.name
        ),
    )
    .unwrap();
    same_as_clean(&site, &out, "corrections to names and titles");

    std::fs::create_dir_all(site.join("templates")).unwrap();
    std::fs::write(
        site.join("templates/person.html"),
        "{% extends \"base.html\" %}{% block main %}<h1>{{ title }}</h1><p>overridden</p>{% endblock main %}",
    )
    .unwrap();
    same_as_clean(&site, &out, "a template override");

    std::fs::write(
        site.join("accord.toml"),
        "description = \"Changed in a test\"\nbriefing_limit = 4\ntimeline_limit = 10\npaginate_by = 3\n",
    )
    .unwrap();
    same_as_clean(&site, &out, "a setting");

    std::fs::create_dir_all(site.join("static")).unwrap();
    std::fs::write(site.join("static/extra.css"), "p { color: black }\n").unwrap();
    same_as_clean(&site, &out, "an added static file");
    std::fs::remove_file(site.join("static/extra.css")).unwrap();
    same_as_clean(&site, &out, "a removed static file");
    // A file accord makes from the model, replaced by the site's own: the search index, which
    // a rebuild otherwise keeps when its documents are the same.
    let own_index = site.join("static/search-index.js");
    std::fs::write(&own_index, "window.accordSearch = null;\n").unwrap();
    same_as_clean(&site, &out, "an own search index");
    std::fs::write(&own_index, "window.accordSearch = undefined;\n").unwrap();
    same_as_clean(&site, &out, "an own search index edited");
    std::fs::remove_file(&own_index).unwrap();
    same_as_clean(&site, &out, "an own search index removed");

    // Folders whose change time is well behind a build are not listed by the next while it
    // stays so (`write::Last`): built once more after a pause, to be noted so; a stray file
    // put in one of them below is still found.
    std::thread::sleep(std::time::Duration::from_millis(150));
    same_as_clean(&site, &out, "folders settled");

    // The output touched by hand: an edited page, a deleted one, a stray file and folder.
    let a_source = std::fs::read_dir(out.join("sources"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.is_dir())
        .unwrap();
    std::fs::write(a_source.join("stray.html"), "stray").unwrap();
    std::fs::write(out.join("index.html"), "edited by hand").unwrap();
    std::fs::remove_file(out.join("partnerships/index.html")).unwrap();
    std::fs::create_dir_all(out.join("stray/deeper")).unwrap();
    std::fs::write(out.join("stray/deeper/file.html"), "stray").unwrap();
    same_as_clean(&site, &out, "hand edits in the output");
    assert!(
        !out.join("stray").exists(),
        "an emptied stray folder goes too"
    );
}

/// An output put back from a copy that kept its files' and folders' times (`cp -a`, a
/// backup) after a build removed a record's pages: the next build removes them again.
#[test]
#[cfg(unix)]
fn an_output_restored_from_a_copy_is_made_as_a_clean_build_would() {
    let (dir, site, out) = generated_site(20);
    build(&site, &out);
    std::thread::sleep(std::time::Duration::from_millis(150));
    build(&site, &out);
    let copy = dir.path().join("copy");
    let cp = |from: &Path, to: &Path| {
        let status = std::process::Command::new("cp")
            .arg("-a")
            .arg(from)
            .arg(to)
            .status()
            .unwrap();
        assert!(status.success());
    };
    cp(&out, &copy);
    std::fs::remove_file(&docs(&site, "txt")[0]).unwrap();
    build(&site, &out);
    std::fs::remove_dir_all(&out).unwrap();
    cp(&copy, &out);
    same_as_clean(&site, &out, "an output restored from a copy");
}

#[test]
fn editing_one_document_rewrites_few_files() {
    let dir = tempfile::tempdir().unwrap();
    edit_one_and_count_rewritten(dir.path(), &dir.path().join("public"));
}

/// Builds `site` into `out` (cached, in place) with `ACCORD_EXPLAIN=1` and `--timings`, and
/// returns what it printed: for each page made again, the reads that changed; and the stages.
fn explained_build(site: &Path, out: &Path) -> String {
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_accord"))
        .args([
            "build",
            "--timings",
            "--root",
            site.to_str().unwrap(),
            "--output",
        ])
        .arg(out)
        .env("ACCORD_EXPLAIN", "1")
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Asserts that no page of `made` (lines of `made_again`) was made again, naming `why` and the
/// first few that were.
fn none_of(made: &[&&str], why: &str) {
    assert!(
        made.is_empty(),
        "{} pages made again {why}: {:?}",
        made.len(),
        made.iter().take(3).collect::<Vec<_>>()
    );
}

/// The lines of `explained_build`'s output that name a page made again.
fn made_again(explained: &str) -> Vec<&str> {
    (explained.lines())
        .filter(|l| l.contains(": made again"))
        .collect()
}

/// A document removed takes its partnership out of its topics' lists: the topics' own pages
/// change, but a page that only links a topic or a country (by its name) is not made again
/// for it — it reads the topic's card, not the list the topic holds. (Before, removing one
/// document of 10,000 remade 12,000 pages this way.) The rebuild is still a clean build's.
#[test]
fn a_removed_partnership_remakes_its_topics_pages_not_every_page_linking_them() {
    let (_dir, site, out) = generated_site(60);
    build(&site, &out);
    std::fs::remove_file(&docs(&site, "md")[0]).unwrap();
    let explained = explained_build(&site, &out);
    let made = made_again(&explained);
    assert!(
        !made.is_empty(),
        "the removal remade no page at all: {explained}"
    );
    let for_a_link: Vec<&&str> = (made.iter())
        .filter(|l| !l.starts_with("topics/") && !l.starts_with("countries/"))
        .filter(|l| l.contains("Topic(\"") || l.contains("Country(\""))
        .collect();
    none_of(&for_a_link, "for a topic or country they link");
    same_as_clean(&site, &out, "a removed partnership");
}

/// A sentence added to a document that says more about its partnership (a new citation of
/// it) remakes the pages that show the partnership's citations — its own, its sources', its
/// briefing volume's — and not the lists that only name it: its parties' and their people's
/// pages, its topics' pages, the list of partnerships. (Before, each of them was made again:
/// they read the whole record.) The rebuild is still a clean build's.
#[test]
fn a_sentence_citing_a_partnership_remakes_its_pages_not_the_lists_naming_it() {
    let (_dir, site, out) = generated_site(60);
    build(&site, &out);
    let doc = &docs(&site, "md")[0];
    let partnership = |out: &Path| {
        let model = std::fs::read_to_string(out.join("data/model.json")).unwrap();
        let model: serde_json::Value = serde_json::from_str(&model).unwrap();
        let id = stem(doc);
        let cited = |p: &serde_json::Value| {
            (p["citations"].as_array().unwrap().iter())
                .filter(|c| c["source"] == id.as_str())
                .count()
        };
        (model["partnerships"].as_array().unwrap().iter())
            .find(|p| cited(p) > 0)
            .map(|p| (p["id"].as_str().unwrap().to_owned(), cited(p)))
            .expect("the document cites a partnership")
    };
    let (id, before) = partnership(&out);
    edit(doc, |t| {
        t + "\nUpdate: the partners added two more doctoral fellowships.\n"
    });
    let explained = explained_build(&site, &out);
    let (same, after) = partnership(&out);
    assert_eq!(same, id);
    assert_eq!(after, before + 1, "the new sentence cites the partnership");
    assert!(
        explained.contains("resolved model kept"),
        "the last build's model is given the document's citations anew, not resolved again: \
         {explained}"
    );
    let made = made_again(&explained);
    assert!(
        made.iter()
            .any(|l| l.starts_with(&format!("partnerships/{id}/"))),
        "the partnership's own page is made again: {explained}"
    );
    let lists: Vec<&&str> = (made.iter())
        .filter(|l| {
            [
                "organizations/",
                "people/",
                "topics/",
                "partnerships/page/",
                "partnerships/index",
            ]
            .iter()
            .any(|section| l.starts_with(section))
        })
        .collect();
    none_of(&lists, "for a partnership they name");
    same_as_clean(&site, &out, "a sentence citing a partnership");
}

/// A word added to a sentence of a document's text that no fact cites remakes the
/// document's own page, not the lists that show it as a row — the list of sources, the
/// overview, its briefing volume: they read what a row shows, not the text. The rebuild is
/// still a clean build's.
#[test]
fn a_corrected_word_remakes_its_source_page_not_the_lists_of_sources() {
    let (_dir, site, out) = generated_site(40);
    std::fs::write(site.join("accord.toml"), "briefing_limit = 4\n").unwrap();
    build(&site, &out);
    let doc = &docs(&site, "md")[0];
    let id = stem(doc);
    // A sentence of the document no record cites, written in the file as it reads.
    let model = std::fs::read_to_string(out.join("data/model.json")).unwrap();
    let model: serde_json::Value = serde_json::from_str(&model).unwrap();
    let mut cited = std::collections::HashSet::new();
    let mut note = |c: &serde_json::Value| {
        if c["source"] == id.as_str() {
            cited.insert((c["paragraph"].as_u64(), c["sentence_index"].as_u64()));
        }
    };
    for kind in [
        "partnerships",
        "organizations",
        "people",
        "commitments",
        "events",
    ] {
        for record in model[kind].as_array().unwrap() {
            record["citations"]
                .as_array()
                .unwrap()
                .iter()
                .for_each(&mut note);
            for q in record["quotes"].as_array().into_iter().flatten() {
                note(&q["citation"]);
            }
        }
    }
    let text = std::fs::read_to_string(doc).unwrap();
    let source = (model["sources"].as_array().unwrap().iter())
        .find(|s| s["id"] == id.as_str())
        .unwrap();
    let sentence = (source["paragraphs"].as_array().unwrap().iter().enumerate())
        .flat_map(|(p, ss)| {
            let ss = ss.as_array().unwrap().iter().enumerate();
            ss.map(move |(i, s)| (p as u64, i as u64, s.as_str().unwrap()))
        })
        .find(|&(p, i, s)| {
            !cited.contains(&(Some(p), Some(i))) && s.ends_with('.') && text.matches(s).count() == 1
        })
        .map(|(_, _, s)| s.to_owned())
        .expect("a sentence no record cites");
    edit(doc, |t| {
        let fixed = format!("{} indeed.", sentence.trim_end_matches('.'));
        t.replace(&sentence, &fixed)
    });
    let explained = explained_build(&site, &out);
    let made = made_again(&explained);
    let own = format!("sources/{}/", stem(doc));
    assert!(
        made.iter().any(|l| l.starts_with(&own)),
        "the source's own page is made again: {explained}"
    );
    let others: Vec<&&str> = made.iter().filter(|l| !l.starts_with(&own)).collect();
    none_of(&others, "for a word of a source's text");
    assert!(
        explained.contains("resolved model kept"),
        "no fact changed: the last build's model is taken again: {explained}"
    );
    same_as_clean(&site, &out, "a corrected word");
}

/// A document added with names the site did not have (its organizations and people) remakes
/// the pages whose text holds those names, not every source page: each reads the links in
/// its own text (`LinksIn`), not every name the site links. (Before, adding one document of
/// 10,000 remade all 10,000 source pages, and 5,380 partnership pages for their quotes.)
#[test]
fn an_added_document_with_new_names_remakes_few_source_pages() {
    let dir = tempfile::tempdir().unwrap();
    let (site, more) = (dir.path().join("site"), dir.path().join("more"));
    gen_corpus(&site, 60);
    gen_corpus(&more, 61);
    let out = dir.path().join("public");
    build(&site, &out);
    let sources = docs(&site, "md").len() + docs(&site, "txt").len();
    let added = (docs(&more, "md").into_iter().chain(docs(&more, "txt")))
        .find(|p| !site.join("seeds").join(p.file_name().unwrap()).exists())
        .expect("the larger corpus has one more document");
    std::fs::copy(&added, site.join("seeds").join(added.file_name().unwrap())).unwrap();
    let explained = explained_build(&site, &out);
    let source_pages: Vec<&str> = (made_again(&explained).into_iter())
        .filter(|l| l.starts_with("sources/"))
        .filter(|l| !l.starts_with("sources/page/") && !l.starts_with("sources/index.html"))
        .collect();
    assert!(
        source_pages.len() * 10 < sources,
        "{} of {sources} source pages made again: {:?}",
        source_pages.len(),
        source_pages.iter().take(3).collect::<Vec<_>>()
    );
    same_as_clean(&site, &out, "an added document with new names");
}

/// The first build of a new output finds, for the next, the manifest it kept, whichever way
/// the output is named: here through a link to its folder, whose real path the output's own
/// path gives only once the output is there.
#[test]
#[cfg(unix)]
fn the_build_after_the_first_finds_its_manifest() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("real")).unwrap();
    std::os::unix::fs::symlink(dir.path().join("real"), dir.path().join("link")).unwrap();
    edit_one_and_count_rewritten(dir.path(), &dir.path().join("link/public"));
}

/// A rebuild does not read a document whose file is as the last build found it (the pack,
/// `src/pack.rs`), but one edited in place at the same size with its modification time put
/// back (`touch -r`, `cp -p`, an editor that keeps it) is read again: its change time tells.
#[test]
#[cfg(unix)]
fn a_document_edited_with_its_size_and_time_kept_is_read_again() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    gen_corpus(&site, 6);
    // Far enough behind the build for their stamps to be trusted next time.
    std::thread::sleep(std::time::Duration::from_millis(150));
    let out = dir.path().join("public");
    same_as_clean(&site, &out, "first build");
    assert!(site.join(".accord-cache/documents/pack.bin").is_file());
    // Unchanged, none is read again where the file system keeps change times.
    let counted = |what: &str| -> usize {
        let o = accord(&[
            "build",
            "--timings",
            "--root",
            site.to_str().unwrap(),
            "--output",
            out.to_str().unwrap(),
        ]);
        let said = String::from_utf8_lossy(&o.stderr).into_owned();
        (said.lines())
            .find_map(|l| l.trim_start().strip_prefix(what)?.trim().parse().ok())
            .unwrap_or(0)
    };
    // (Where times are kept to the second, a stamp settles only three seconds later.)
    let fine_times = {
        use std::os::unix::fs::MetadataExt;
        std::fs::metadata(&docs(&site, "md")[0])
            .unwrap()
            .ctime_nsec()
            != 0
    };
    if accord::times::trusts_times_at(&site) && fine_times {
        assert_eq!(counted("documents read"), 0);
        assert_eq!(counted("documents from the pack, unread"), 6);
    }
    let doc = &docs(&site, "md")[0];
    let (size, modified) = {
        let m = std::fs::metadata(doc).unwrap();
        (m.len(), m.modified().unwrap())
    };
    edit(doc, |t| {
        let at = t
            .rfind("partnership")
            .expect("the corpus's documents speak of one");
        format!("{}PARTNERSHIP{}", &t[..at], &t[at + "partnership".len()..])
    });
    let f = std::fs::File::options().write(true).open(doc).unwrap();
    f.set_modified(modified).unwrap();
    let m = std::fs::metadata(doc).unwrap();
    assert_eq!((m.len(), m.modified().unwrap()), (size, modified));
    same_as_clean(&site, &out, "an edit that kept size and time");
    let page = std::fs::read_to_string(out.join("sources").join(stem(doc)).join("index.html"));
    assert!(page.unwrap().contains("PARTNERSHIP"), "the edit shows");
}

fn stem(path: &Path) -> String {
    path.file_stem().unwrap().to_string_lossy().into_owned()
}

/// Builds a site in `dir` into `out`, edits a document, builds again, and asserts that
/// the second build rewrote few files.
fn edit_one_and_count_rewritten(dir: &Path, out: &Path) {
    let site = dir.join("site");
    gen_corpus(&site, 60);
    let out = out.to_path_buf();
    build(&site, &out);
    let before = mtimes(&out);
    edit(&docs(&site, "md")[0], |t| {
        t + "\nUpdate: the partners added two more doctoral fellowships.\n"
    });
    build(&site, &out);
    let after = mtimes(&out);
    assert_eq!(
        before.keys().collect::<Vec<_>>(),
        after.keys().collect::<Vec<_>>()
    );
    let rewritten: Vec<&String> = after
        .iter()
        .filter(|(k, t)| before.get(*k) != Some(t))
        .map(|(k, _)| k)
        .collect();
    assert!(
        rewritten.len() * 10 < after.len(),
        "{} of {} files rewritten: {rewritten:?}",
        rewritten.len(),
        after.len()
    );
    // What the edit shows up on was rewritten: the source's page and the full model.
    let source = rewritten
        .iter()
        .filter(|p| p.starts_with("sources/") && p.ends_with("/index.html"))
        .count();
    assert_eq!(source, 1, "the edited source's page: {rewritten:?}");
    assert!(rewritten.iter().any(|p| *p == "data/model.json"));
}

/// `accord build --gc` leaves the extraction cache holding one entry per document: the entry
/// of a document's earlier text goes, as does anything else in the folder.
#[test]
fn gc_leaves_one_cache_entry_per_document() {
    let (_dir, site, out) = generated_site(12);
    let entries = || {
        walkdir::WalkDir::new(site.join(".accord-cache/extract"))
            .into_iter()
            .filter(|e| e.as_ref().unwrap().file_type().is_file())
            .count()
    };
    build(&site, &out);
    assert_eq!(entries(), 12);
    edit(&docs(&site, "md")[0], |t| {
        t + "\nUpdate: one more fellowship.\n"
    });
    build(&site, &out);
    assert_eq!(entries(), 13, "without --gc the old entry stays");
    let gc = |extra: &[&str]| {
        let mut args = vec![
            "build",
            "--root",
            site.to_str().unwrap(),
            "--output",
            out.to_str().unwrap(),
            "--gc",
        ];
        args.extend(extra);
        let o = accord(&args);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        String::from_utf8_lossy(&o.stderr).into_owned()
    };
    let said = gc(&[]);
    assert!(said.contains("removed 1 unused"), "{said}");
    assert_eq!(entries(), 12);
    // The next build finds every document in the cache: nothing to remove, same site.
    let before = read_tree(&out);
    assert!(gc(&[]).contains("removed 0 unused"));
    assert_eq!(read_tree(&out), before);
}
