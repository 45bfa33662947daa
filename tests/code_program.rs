//! The PyTorch program of a run (`src/files/code.rs`): what it says for given settings, that
//! user text enters it only as escaped string data, that the three forms differ only in
//! the forward pass, that every variant is valid Python (when `python3` is present) and,
//! when a Python with PyTorch is at hand, that it prints PyTorch's reference numbers.
//!
//! The module is compiled here by path, so this test does not depend on `lib.rs`.

#![cfg(not(target_arch = "wasm32"))]

use bigram_lab::files::code::{python_str, pytorch_program, Encoding, Form, RunSpec, SplitSpec};
use std::io::Write;
use std::process::{Command, Stdio};

const FORMS: [Form; 3] = [Form::OneHot, Form::Index, Form::CrossEntropy];

fn lecture() -> RunSpec {
    RunSpec::default()
}

/// The word with a quote, a backslash and a non-ASCII letter.
const AWKWARD: &str = "o'\\é";

// ---------------------------------------------------------------- what it says

#[test]
fn the_lecture_run_names_its_settings() {
    let prog = pytorch_program(&lecture(), Form::OneHot);
    for want in [
        "manual_seed(seed)",
        "seed = 2147483647",
        "lr = 50\n",
        "l2 = 0.01\n",
        "steps = 200\n",
        "L = 1 ",
        "for k in range(steps):",
        "W = torch.randn((R, V), generator=g, requires_grad=True)",
        "W.data += -lr * W.grad",
        "print(f'loss {loss.item():.4f}')",
        "for i in range(10):",
        "torch.multinomial(p, num_samples=1, replacement=True, generator=g)",
        "xenc = F.one_hot(rows, num_classes=R).float()",
        "return xenc @ W",
        "counts = logits.exp()",
        "nll = -probs[torch.arange(len(ys)), ys].log().mean()",
        "l2 * (W**2).mean()",
    ] {
        assert!(prog.contains(want), "missing {want:?} in\n{prog}");
    }
    // The header lists every setting.
    for setting in [
        "#   context:        1 character (the bigram)",
        "#   training words: every word",
        "#   held out:       none",
        "#   seed:           2147483647",
        "#   learning rate:  50",
        "#   L2 strength:    0.01",
        "#   batch:          full batch",
        "#   steps:          200",
        "#   samples:        10 names",
        "#   forward pass:   one-hot",
    ] {
        assert!(prog.contains(setting), "header lacks {setting:?}");
    }
    assert!(prog.starts_with("# Bigram Lab"));
    // Full batch, no split: no random draws but W's and the samples'.
    assert!(
        !prog.contains("torch.randint(0, "),
        "full batch draws nothing"
    );
    assert!(!prog.contains("batch_size"));
    assert!(!prog.contains("random.shuffle"));
    assert!(!prog.contains("import random"));
    assert!(!prog.contains("import math"));
    assert!(!prog.contains("dev loss"));
    assert!(!prog.contains("F.cross_entropy"));
    assert!(!prog.contains("W["), "the one-hot form does not index W");
    assert!(!prog.contains("NOTE"), "one loop: nothing to confess");
    assert_eq!(
        prog,
        pytorch_program(&lecture(), Form::OneHot),
        "deterministic"
    );
}

#[test]
fn other_settings_show_up_as_they_are() {
    let spec = RunSpec {
        seed: 42,
        lr: 0.1,
        l2: 0.0,
        batch_size: 32,
        steps: 1234,
        sample_count: 3,
        ..lecture()
    };
    let prog = pytorch_program(&spec, Form::Index);
    for want in [
        "seed = 42\n",
        "lr = 0.1\n",
        "l2 = 0\n",
        "batch_size = 32\n",
        "steps = 1234\n",
        "for i in range(3):",
        "#   batch:          32 random examples each step",
        "ix = torch.randint(0, Xtr.shape[0], (batch_size,), generator=g)",
        "loss = loss_of(Xtr[ix], Ytr[ix])",
    ] {
        assert!(prog.contains(want), "missing {want:?} in\n{prog}");
    }
    // The minibatches continue W's generator: no second manual_seed before the loop.
    let before_loop = &prog[..prog.find("for k in range(steps)").unwrap()];
    assert_eq!(before_loop.matches("manual_seed(").count(), 1);
    let after_loop = &prog[prog.find("for k in range(steps)").unwrap()..];
    assert_eq!(
        after_loop.matches("manual_seed(seed)").count(),
        1,
        "sampling starts a fresh generator"
    );
}

#[test]
fn floats_are_written_so_that_float32_reads_them_back() {
    for (lr, want) in [
        (1e-7f32, "lr = 1e-7\n"),
        (3e20, "lr = 3e20\n"),
        (0.3, "lr = 0.3\n"),
        (12.5, "lr = 12.5\n"),
        (f32::NAN, "lr = float('nan')\n"),
        (f32::INFINITY, "lr = float('inf')\n"),
    ] {
        let prog = pytorch_program(&RunSpec { lr, ..lecture() }, Form::Index);
        assert!(prog.contains(want), "lr {lr}: {want:?} not in the program");
    }
}

#[test]
fn the_split_is_written_as_the_page_makes_it() {
    let held = RunSpec {
        split: SplitSpec::HeldOut {
            percent: 10,
            seed: 7,
        },
        ..lecture()
    };
    let prog = pytorch_program(&held, Form::Index);
    for want in [
        "import math\n",
        "g = torch.Generator().manual_seed(7)",
        "for i in range(len(words) - 1, 0, -1):",
        "j = int(torch.randint(0, i + 1, (1,), generator=g))",
        "x = len(words) * (10 / 100)",
        "n_dev = min(max(n_dev, 1), len(words) - 1)",
        "dev_words, train_words = words[:n_dev], words[n_dev:]",
        "print(f'dev loss {loss_of(Xdev, Ydev).item():.4f}')",
        "#   held out:       10% of the words for the dev loss, shuffled with seed 7",
    ] {
        assert!(prog.contains(want), "missing {want:?} in\n{prog}");
    }
    assert!(!prog.contains("random.shuffle"));
    assert!(!prog.contains("test loss"));
    // The split is shuffled before W is drawn, by a generator of its own.
    assert!(prog.find("manual_seed(7)").unwrap() < prog.find("torch.randn(").unwrap());

    let makemore = RunSpec {
        split: SplitSpec::Makemore { seed: 42 },
        ..lecture()
    };
    let prog = pytorch_program(&makemore, Form::Index);
    for want in [
        "import random\n",
        "random.seed(42)\nrandom.shuffle(words)\n",
        "n1 = int(0.8 * len(words))",
        "n2 = int(0.9 * len(words))",
        "train_words, dev_words, test_words = words[:n1], words[n1:n2], words[n2:]",
        "print(f'dev loss",
        "print(f'test loss {loss_of(Xte, Yte).item():.4f}')",
        "only once, at the very end",
    ] {
        assert!(prog.contains(want), "missing {want:?} in\n{prog}");
    }
    assert!(!prog.contains("torch.randint(0, "));

    let none = RunSpec {
        split: SplitSpec::HeldOut {
            percent: 0,
            seed: 7,
        },
        ..lecture()
    };
    assert_eq!(
        pytorch_program(&none, Form::Index),
        pytorch_program(&lecture(), Form::Index),
        "0% held out is no split"
    );
}

#[test]
fn the_forms_write_the_forward_pass_each_their_way() {
    let one_hot = pytorch_program(&lecture(), Form::OneHot);
    let index = pytorch_program(&lecture(), Form::Index);
    let ce = pytorch_program(&lecture(), Form::CrossEntropy);
    assert!(index.contains("return W.double()[rows].float()") && !index.contains("one_hot"));
    assert!(index.contains("index them, W[rows]") && index.contains("float64"));
    assert!(!index.contains("F.cross_entropy"));
    assert!(ce.contains("nll = F.cross_entropy(forward(xs), ys)"));
    assert!(ce.contains("return W.double()[rows].float()"));
    assert!(ce.contains("numerically safe") && ce.contains("(probs - onehot) / n"));
    assert!(ce.contains("F.softmax(forward(xs), dim=1)"));
    assert!(!one_hot.contains("F.cross_entropy") && !one_hot.contains("F.softmax"));

    // Side by side: one one-hot per character, W has L*V rows.
    let concat = RunSpec {
        context_len: 2,
        encoding: Encoding::Concat,
        ..lecture()
    };
    let prog = pytorch_program(&concat, Form::OneHot);
    assert!(prog.contains("R = L * V"));
    assert!(prog.contains(
        "torch.cat([F.one_hot(xs[:, i], num_classes=V) for i in range(L)], dim=1).float()"
    ));
    let prog = pytorch_program(&concat, Form::Index);
    assert!(prog.contains("return sum(W.double()[i * V + xs[:, i]].float() for i in range(L))"));
    assert!(prog.contains("L = 2 "));

    // One one-hot over the contexts: the row of a context.
    let trigram = RunSpec {
        context_len: 3,
        ..lecture()
    };
    let prog = pytorch_program(&trigram, Form::Index);
    assert!(prog.contains("R = V**L"));
    assert!(prog.contains("rows = xs[:, 0] * V**2 + xs[:, 1] * V + xs[:, 2]"));
    // For one character, Concat is the bigram.
    let bigram_concat = RunSpec {
        encoding: Encoding::Concat,
        ..lecture()
    };
    assert_eq!(
        pytorch_program(&bigram_concat, Form::OneHot),
        pytorch_program(&lecture(), Form::OneHot)
    );
}

/// The program without the forward pass (from `def forward` to the loop) and without
/// the header line that names the form.
fn outside_forward(prog: &str) -> String {
    let start = prog.find("def forward(xs):").unwrap();
    let end = prog.find("for k in range(steps):").unwrap();
    let rest = format!("{}{}", &prog[..start], &prog[end..]);
    rest.lines()
        .filter(|l| !l.starts_with("#   forward pass:"))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn the_three_forms_differ_only_in_the_forward_pass() {
    for spec in variants() {
        let progs = FORMS.map(|f| pytorch_program(&spec, f));
        let rest = outside_forward(&progs[0]);
        for (form, prog) in FORMS.iter().zip(&progs).skip(1) {
            assert_eq!(outside_forward(prog), rest, "{form:?} for {spec:?}");
        }
        // And the forward passes do differ, line for line.
        let lines = |p: &str| -> std::collections::BTreeSet<String> {
            let start = p.find("def forward(xs):").unwrap();
            let end = p.find("for k in range(steps):").unwrap();
            p[start..end].lines().map(str::to_string).collect()
        };
        let sets = progs.each_ref().map(|p| lines(p));
        assert_ne!(sets[0], sets[1]);
        assert_ne!(sets[1], sets[2]);
        assert!(sets[0].iter().any(|l| l.contains("one_hot")));
        assert!(!sets[1].iter().any(|l| l.contains("one_hot")));
    }
}

// ---------------------------------------------------------------- user text

#[test]
fn the_escaper_writes_python_literals() {
    assert_eq!(python_str("emma"), "'emma'");
    assert_eq!(python_str(AWKWARD), "'o\\'\\\\é'");
    assert_eq!(python_str(""), "''");
    assert_eq!(python_str("a\nb\r\t\""), "'a\\nb\\r\\t\"'");
    assert_eq!(python_str("\u{0}\u{7f}\u{85}"), "'\\x00\\x7f\\x85'");
    // Invisible and direction-changing characters are escaped, letters are not.
    assert_eq!(python_str("a\u{202e}b\u{2028}"), "'a\\u202eb\\u2028'");
    assert_eq!(python_str("\u{feff}zoë李"), "'\\ufeffzoë李'");
    assert_eq!(python_str("😀"), "'\\U0001f600'");
    assert_eq!(python_str("\u{a0}"), "'\\xa0'");
}

#[test]
fn a_word_trained_on_enters_only_as_a_string_literal() {
    let spec = RunSpec {
        train_on_word: Some(AWKWARD.into()),
        split: SplitSpec::HeldOut {
            percent: 10,
            seed: 7,
        },
        ..lecture()
    };
    let prog = pytorch_program(&spec, Form::OneHot);
    assert!(prog.contains("train_word = 'o\\'\\\\é'\n"), "{prog}");
    assert!(prog.contains("train_words = [train_word]"));
    assert!(prog.contains("one word alone"));
    assert!(prog.contains("#   held out:       none (the page's split does not apply"));
    // Training on one word leaves no held-out words, whatever the split setting.
    assert!(!prog.contains("dev loss") && !prog.contains("dev_words"));
    for line in prog.lines() {
        if !line.is_ascii() {
            assert!(
                line.starts_with("train_word = '"),
                "non-ASCII outside data: {line}"
            );
        }
    }
}

#[test]
fn the_not_one_loop_note_is_a_plain_comment() {
    let why = "lr changed from 50 to 10 at step 40;\nW imported from 'mine.json'\u{202e} \
               (caf\u{e9}) and then it goes on for a while so that the line must be wrapped \
               somewhere";
    let spec = RunSpec {
        not_one_loop: Some(why.into()),
        ..lecture()
    };
    let prog = pytorch_program(&spec, Form::Index);
    let note = prog
        .find("# NOTE: the page's run cannot be written as one loop")
        .unwrap();
    assert!(note < prog.find("# Settings:").unwrap(), "at the top");
    assert!(prog.contains("# lr changed from 50 to 10 at step 40;\n"));
    assert!(prog.contains("# W imported from 'mine.json'\\u202e (caf\\u00e9)"));
    assert!(prog.contains("from Reset with the"));
    assert!(prog.is_ascii(), "a comment is plain ASCII");
    let header = &prog[..prog.find("\nimport").unwrap()];
    for line in header.lines() {
        assert!(line.starts_with('#') || line.is_empty(), "{line:?}");
        assert!(line.len() <= 82, "wrapped: {line:?}");
    }
    // The rest of the program is the run from Reset.
    let plain = pytorch_program(&lecture(), Form::Index);
    assert_eq!(
        &prog[prog.find("\nimport").unwrap()..],
        &plain[plain.find("\nimport").unwrap()..]
    );
}

// ---------------------------------------------------------------- valid Python

fn variants() -> Vec<RunSpec> {
    let mut out = Vec::new();
    for (len, encoding) in [
        (1, Encoding::Context),
        (2, Encoding::Context),
        (2, Encoding::Concat),
        (3, Encoding::Context),
        (3, Encoding::Concat),
    ] {
        for split in [
            SplitSpec::None,
            SplitSpec::HeldOut {
                percent: 10,
                seed: 3,
            },
            SplitSpec::Makemore { seed: 42 },
        ] {
            for batch_size in [0, 32] {
                out.push(RunSpec {
                    context_len: len,
                    encoding,
                    split,
                    batch_size,
                    ..lecture()
                });
            }
        }
    }
    out.push(RunSpec {
        train_on_word: Some(AWKWARD.into()),
        not_one_loop: Some("a resample at step 40 ('W' drawn again)\n\\ and more".into()),
        ..lecture()
    });
    out
}

/// Runs `python -c code` with `stdin`; `None` when that Python cannot be started.
fn python(python: &str, code: &str, stdin: &str) -> Option<std::process::Output> {
    let mut child = Command::new(python)
        .args(["-c", code])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .ok()?;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    Some(child.wait_with_output().unwrap())
}

#[test]
fn every_program_is_valid_python() {
    let mut programs = Vec::new();
    for spec in variants() {
        for form in FORMS {
            programs.push(pytorch_program(&spec, form));
        }
    }
    assert_valid_python(&programs);
}

/// Every program parses and compiles as Python 3 (skipped without a python3): one
/// Python for all of them, the programs separated by a NUL.
fn assert_valid_python(programs: &[String]) {
    let check = "import ast, sys\n\
                 for i, p in enumerate(sys.stdin.buffer.read().decode('utf-8').split('\\0')):\n    \
                     compile(ast.parse(p), f'program {i}', 'exec')\n\
                 print('ok')";
    let Some(out) = python("python3", check, &programs.join("\0")) else {
        eprintln!("python3 is not installed: the syntax check is skipped");
        return;
    };
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "ok");
}

#[test]
fn python_reads_the_escaped_words_back() {
    let words = [
        AWKWARD,
        "plain",
        "",
        "tab\there\nnew\r\0nul",
        "\u{202e}rtl\u{2066}\u{feff}",
        "zoë 李 😀 \u{301}",
        "'''\"\"\"\\\\'",
    ];
    let literals: Vec<String> = words.iter().map(|w| python_str(w)).collect();
    let check = "import ast, sys, json\n\
                 lits = sys.stdin.buffer.read().decode('utf-8').split('\\n')\n\
                 print(json.dumps([ast.literal_eval(l) for l in lits]))";
    let Some(out) = python("python3", check, &literals.join("\n")) else {
        eprintln!("python3 is not installed: the check is skipped");
        return;
    };
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let back: Vec<String> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(back, words);
}

// ---------------------------------------------------------------- real PyTorch

/// A Python that can `import torch`: `$BIGRAM_LAB_TORCH_PYTHON`, else `python3`.
/// `None` (the runs are skipped) when neither can.
fn torch_python() -> Option<String> {
    let python = std::env::var("BIGRAM_LAB_TORCH_PYTHON").unwrap_or_else(|_| "python3".into());
    let ok = Command::new(&python)
        .args(["-c", "import torch"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    ok.then_some(python)
}

/// Runs `prog` beside the default `names.txt` in a directory of its own; its output
/// lines.
fn run_with_torch(python: &str, name: &str, prog: &str) -> Vec<String> {
    let names = include_str!("../src/names.txt").as_bytes();
    let files: [(&str, &[u8]); 2] = [("names.txt", names), ("run.py", prog.as_bytes())];
    let out = run_in_dir(python, name, &files, &["run.py"]);
    String::from_utf8(out)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect()
}

fn fixture(file: &str, path: &str) -> serde_json::Value {
    let text = match file {
        "torch-golden" => include_str!("fixtures/torch-golden.json"),
        _ => include_str!("fixtures/exercises.json"),
    };
    let json: serde_json::Value = serde_json::from_str(text).unwrap();
    json.pointer(path)
        .unwrap_or_else(|| panic!("{file} has no {path}"))
        .clone()
}

fn loss_line(v: serde_json::Value) -> String {
    format!("loss {:.4}", v.as_f64().unwrap())
}

fn names(v: serde_json::Value) -> Vec<String> {
    serde_json::from_value(v).unwrap()
}

/// With PyTorch installed, the programs print PyTorch's reference numbers: the
/// lecture's loss before the first and second step and after 199, its names after
/// 200 steps, in every form; the trigram's names after 200 steps; the side-by-side
/// net's loss after one step.
#[test]
fn with_pytorch_the_programs_print_the_reference_numbers() {
    let Some(py) = torch_python() else {
        eprintln!("no Python with torch (set BIGRAM_LAB_TORCH_PYTHON): skipped");
        return;
    };
    let gd = "/default_dataset/gd/loss_before_each_step";
    for form in FORMS {
        for (steps, at) in [(0, 0), (1, 1)] {
            let spec = RunSpec {
                steps,
                sample_count: 0,
                ..lecture()
            };
            let out = run_with_torch(&py, "gd", &pytorch_program(&spec, form));
            let want = loss_line(fixture("torch-golden", &format!("{gd}/{at}")));
            assert_eq!(out, [want], "{form:?}, {steps} steps");
        }
        let out = run_with_torch(&py, "lecture", &pytorch_program(&lecture(), form));
        let want = names(fixture(
            "torch-golden",
            "/default_dataset/gd/samples_after_200_steps_seed_2147483647",
        ));
        assert_eq!(out[1..], want[..], "{form:?}");
    }
    let spec = RunSpec {
        steps: 199,
        sample_count: 0,
        ..lecture()
    };
    let out = run_with_torch(&py, "199", &pytorch_program(&spec, Form::Index));
    assert_eq!(
        out,
        [loss_line(fixture("torch-golden", &format!("{gd}/199")))]
    );

    let trigram = RunSpec {
        context_len: 2,
        sample_count: 5,
        ..lecture()
    };
    for form in [Form::Index, Form::CrossEntropy] {
        let out = run_with_torch(&py, "trigram", &pytorch_program(&trigram, form));
        let want = names(fixture("exercises", "/pair_samples_after_200"));
        assert_eq!(out[1..], want[..], "{form:?}");
    }

    let concat = RunSpec {
        context_len: 2,
        encoding: Encoding::Concat,
        steps: 1,
        sample_count: 0,
        ..lecture()
    };
    for form in FORMS {
        let out = run_with_torch(&py, "concat", &pytorch_program(&concat, form));
        let want = loss_line(fixture("exercises", "/concat_gd_lr50_l2_0.01_losses/1"));
        assert_eq!(out, [want], "{form:?}");
    }
    // 199 steps of both trigram nets: the loss before the 200th step. (The indexed
    // forms' float32 backward used to miss the side-by-side one in the 4th decimal.)
    for (encoding, key) in [
        (Encoding::Concat, "/concat_gd_lr50_l2_0.01_losses/199"),
        (Encoding::Context, "/pair_gd_lr50_l2_0.01_losses/199"),
    ] {
        let spec = RunSpec {
            context_len: 2,
            encoding,
            steps: 199,
            sample_count: 0,
            ..lecture()
        };
        let forms: &[Form] = match encoding {
            // One-hot over 729 contexts: a 230k x 729 xenc, too big for a test.
            Encoding::Context => &[Form::Index, Form::CrossEntropy],
            Encoding::Concat => &FORMS,
        };
        for &form in forms {
            let out = run_with_torch(&py, "199", &pytorch_program(&spec, form));
            assert_eq!(
                out,
                [loss_line(fixture("exercises", key))],
                "{encoding:?} {form:?}"
            );
        }
    }
}

/// The program reads a word list as the library does: a byte-order mark, every line
/// separator of `str.splitlines()` (CRLF, a lone `\r`, U+2028, U+001C…), blank lines,
/// Unicode spaces and a tab around a word. (Python's `str.strip()` also removes U+001F,
/// which the library refuses as invisible, so the two never meet on it.)
#[test]
fn the_program_reads_the_words_the_library_reads() {
    let file = "\u{feff}emma\r\n\r\n  olivia\u{a0}\n\tzo\u{eb}\u{2003}\nan\rna\nbo\u{2028}b\n\u{1c}x\u{1c}\n\u{3000}\u{85}last\u{2029}";
    let want: Vec<String> = bigram_lab::Dataset::from_bytes(file.as_bytes())
        .unwrap()
        .words()
        .collect();
    let by_hand = [
        "emma", "olivia", "zo\u{eb}", "an", "na", "bo", "b", "x", "last",
    ];
    // [w for w in (l.strip() for l in text.splitlines()) if w], by hand.
    assert_eq!(want, by_hand);
    let prog = pytorch_program(&lecture(), Form::Index);
    let start = prog.find("lines = open(").unwrap();
    let end = prog.find("\n# The vocabulary").unwrap();
    let dir = std::env::temp_dir().join(format!("bigram-lab-code-words-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("names.txt"), file).unwrap();
    let check = format!(
        "import json, os\nos.chdir({})\n{}\nprint(json.dumps(words))",
        python_str(dir.to_str().unwrap()),
        &prog[start..end]
    );
    let out = python("python3", &check, "");
    let _ = std::fs::remove_dir_all(&dir);
    let Some(out) = out else {
        eprintln!("python3 is not installed: the check is skipped");
        return;
    };
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let got: Vec<String> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(got, want);
}

// ---------------------------------------------------------------- the page's W in NumPy

/// The two lines the program shows, as comments, to start from the page's `W.npy`.
const LOAD_LINES: [&str; 2] = [
    "import numpy as np",
    "W = torch.tensor(np.load('W.npy'), dtype=torch.float32, requires_grad=True)",
];

/// `prog` with the seed's `W` replaced by the page's, as its comment says to.
fn with_pages_w(prog: &str) -> String {
    let randn = "W = torch.randn((R, V), generator=g, requires_grad=True)\n";
    assert!(prog.contains(randn));
    prog.replacen(randn, &format!("{}\n{}\n", LOAD_LINES[0], LOAD_LINES[1]), 1)
}

#[test]
fn the_program_says_how_to_load_the_pages_w() {
    for spec in variants() {
        for form in FORMS {
            let prog = pytorch_program(&spec, form);
            let at = prog.find("W = torch.randn(").unwrap();
            // Right below the seed's W, as comments: the program stays the run from Reset.
            let block: Vec<&str> = (prog[at..].lines().skip(1))
                .take_while(|l| l.starts_with('#'))
                .collect();
            for line in LOAD_LINES {
                assert!(block.contains(&format!("#   {line}").as_str()), "{block:?}");
            }
            assert!(block.iter().any(|l| l.contains("Export W (.npy)")));
            assert!(block
                .iter()
                .any(|l| l.contains("np.save('W.npy', W.detach().numpy())")));
            assert!(block.iter().all(|l| l.len() <= 82));
            assert!(
                !prog.lines().any(|l| l.starts_with("import numpy")),
                "the run from Reset needs no NumPy"
            );
        }
    }
}

#[test]
fn the_program_with_the_pages_w_is_valid_python() {
    let programs: Vec<String> = (variants().iter())
        .flat_map(|spec| FORMS.map(|form| with_pages_w(&pytorch_program(spec, form))))
        .collect();
    assert_valid_python(&programs);
}

/// A Python that can `import numpy`: `$BIGRAM_LAB_NUMPY_PYTHON`, else the torch one,
/// else `python3`. `None` (the checks are skipped) when none can.
fn numpy_python() -> Option<String> {
    let candidates = [
        std::env::var("BIGRAM_LAB_NUMPY_PYTHON").ok(),
        std::env::var("BIGRAM_LAB_TORCH_PYTHON").ok(),
        Some("python3".to_string()),
    ];
    candidates.into_iter().flatten().find(|python| {
        Command::new(python)
            .args(["-c", "import numpy"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    })
}

/// Runs `python` with `args` in a fresh directory holding `files`; its stdout.
fn run_in_dir(python: &str, name: &str, files: &[(&str, &[u8])], args: &[&str]) -> Vec<u8> {
    let dir = std::env::temp_dir().join(format!("bigram-lab-code-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for (file, bytes) in files {
        std::fs::write(dir.join(file), bytes).unwrap();
    }
    let out = Command::new(python)
        .args(args)
        .current_dir(&dir)
        .output()
        .unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    assert!(
        out.status.success(),
        "{name}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// With NumPy installed: `np.load` reads the page's `W.npy` as float32 of the
/// context's shape with the same bits, and `N.npy` as int32 counts; and a float64 `W`
/// that NumPy saved comes back as NumPy's own `astype(np.float32)`. With PyTorch too,
/// the Code panel's line makes a float32 leaf that requires grad, with the same bits.
#[test]
fn numpy_reads_the_pages_npy_files_and_the_page_reads_numpys() {
    use bigram_lab::{Context, Dataset, Encoding as Enc, Session};
    let Some(py) = numpy_python() else {
        eprintln!("no Python with numpy (set BIGRAM_LAB_NUMPY_PYTHON): skipped");
        return;
    };
    let data = Dataset::from_bytes(include_bytes!("../src/names.txt")).unwrap();
    let mut s = Session::new(data, 2_147_483_647, 0.01).unwrap();
    s.set_context(Context::new(2, Enc::Concat).unwrap(), 2_147_483_647)
        .unwrap();
    s.train(50.0, 3, || true).unwrap();
    let (w, n) = (s.w_npy().unwrap(), s.n_npy().unwrap());
    let code = "import numpy as np, sys\n\
                w, n = np.load('W.npy'), np.load('N.npy')\n\
                print(w.dtype, w.shape, w.flags['C_CONTIGUOUS'], n.dtype, n.shape, int(n.sum()))\n\
                sys.stdout.flush()\n\
                sys.stdout.buffer.write(w.tobytes())";
    let out = run_in_dir(&py, "load", &[("W.npy", &w), ("N.npy", &n)], &["-c", code]);
    let line_end = out.iter().position(|&b| b == b'\n').unwrap();
    let examples = s.summary().examples;
    assert_eq!(
        std::str::from_utf8(&out[..line_end]).unwrap(),
        format!("float32 (54, 27) True int32 (729, 27) {examples}")
    );
    let want: Vec<u8> = s.net().w().iter().flat_map(|x| x.to_le_bytes()).collect();
    assert!(
        out[line_end + 1..] == want[..],
        "np.load gives the page's bits"
    );

    // NumPy's float64 W in, rounded as NumPy rounds it.
    let code = "import numpy as np, sys\n\
                w = np.random.default_rng(5).standard_normal((54, 27)) * 3\n\
                np.save('W.npy', w)\n\
                sys.stdout.buffer.write(open('W.npy', 'rb').read())\n\
                sys.stdout.buffer.write(w.astype(np.float32).tobytes())";
    let out = run_in_dir(&py, "save", &[], &["-c", code]);
    let (file, rounded) = out.split_at(out.len() - 54 * 27 * 4);
    s.import_w_npy(file).unwrap();
    let got: Vec<u8> = s.net().w().iter().flat_map(|x| x.to_le_bytes()).collect();
    assert!(got == rounded, "float64 rounds to NumPy's float32");
    // NumPy's other arrays: Fortran order and int64 refused, a strided view saved in C
    // order taken.
    let code = "import numpy as np, sys\n\
                for a in [np.asfortranarray(np.ones((54, 27))), np.zeros((54, 27), dtype=np.int64),\n\
                          np.arange(54 * 54, dtype=np.float32).reshape(54, 54)[:, ::2][:, :27]]:\n    \
                    np.save('a.npy', a)\n    \
                    b = open('a.npy', 'rb').read()\n    \
                    sys.stdout.buffer.write(len(b).to_bytes(4, 'little') + b)";
    let out = run_in_dir(&py, "others", &[], &["-c", code]);
    let mut files = Vec::new();
    let mut rest = &out[..];
    while rest.len() >= 4 {
        let len = u32::from_le_bytes(rest[..4].try_into().unwrap()) as usize;
        files.push(&rest[4..4 + len]);
        rest = &rest[4 + len..];
    }
    assert_eq!(files.len(), 3);
    let refusal = |f: &[u8]| s.clone().import_w_npy(f).unwrap_err().to_string();
    assert!(refusal(files[0]).ends_with("this file holds Fortran order"));
    assert!(refusal(files[1]).ends_with("this file holds dtype '<i8'"));
    s.import_w_npy(files[2]).unwrap();
    assert_eq!(s.net().w()[(1, 1)], 56.0);

    if let Some(torch) = torch_python() {
        let code = format!(
            "import torch, sys\n{}\n{}\n\
             print(W.dtype, W.requires_grad, W.is_leaf, tuple(W.shape))\n\
             sys.stdout.flush()\n\
             sys.stdout.buffer.write(W.detach().numpy().tobytes())",
            LOAD_LINES[0], LOAD_LINES[1]
        );
        let out = run_in_dir(&torch, "torch", &[("W.npy", &w)], &["-c", &code]);
        let line_end = out.iter().position(|&b| b == b'\n').unwrap();
        assert_eq!(
            std::str::from_utf8(&out[..line_end]).unwrap(),
            "torch.float32 True True (54, 27)"
        );
        assert!(
            out[line_end + 1..] == want[..],
            "torch gets the page's bits"
        );
    }
}
