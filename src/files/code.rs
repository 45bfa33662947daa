//! The run as code: the PyTorch program that reproduces, from a Reset, what the page
//! shows (the loss after the steps, the dev and test losses, the sampled names).
//!
//! The page is a way into the lecture, and the lecture is PyTorch code: a learner who
//! has watched `W` train on the page should be able to take the same experiment to a
//! notebook and see the same numbers come out. So the program is not an illustration:
//! it makes the same words, vocabulary, split, `W`, minibatches and samples as the
//! library, draw for draw, and the tests hold it to that.
//!
//! The program comes in three [`Form`]s that differ only in the forward pass, the
//! lecture's one-hot `xenc @ W` and the two exercises that replace it (E04: index the
//! rows of `W`; E05: `F.cross_entropy`), so that putting two side by side shows exactly
//! what an exercise changes.
//!
//! It reads nothing of the session: [`RunSpec`] says what the run was
//! (`Session::run_spec` fills it), so the tests can write any run.

use std::fmt::Write as _;
use std::str::FromStr;

/// How the program writes the forward pass. The three give the same numbers; only the
/// lines that compute the logits and the loss differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    /// The lecture's: `xenc = F.one_hot(...).float(); logits = xenc @ W`, then
    /// `counts = logits.exp()`, `probs = counts / counts.sum(1, keepdims=True)`.
    OneHot,
    /// Exercise E04: a one-hot row times `W` only selects a row of `W`, so index it
    /// (`W[rows]`, picked from a float64 copy so that the backward pass sums as
    /// accurately as the one-hot product; see `F64_GATHER`); the rest as in the lecture.
    Index,
    /// Exercise E05: the indexed logits with `F.cross_entropy` for the loss (and
    /// `F.softmax` for sampling), PyTorch's safe and fused way.
    CrossEntropy,
}

impl Form {
    /// The form by its name on the page: `onehot`, `index` or `cross_entropy`.
    pub fn parse(name: &str) -> crate::error::Result<Self> {
        match name {
            "onehot" => Ok(Form::OneHot),
            "index" => Ok(Form::Index),
            "cross_entropy" => Ok(Form::CrossEntropy),
            _ => Err(crate::error::Error::InvalidSetting {
                name: "code form",
                reason: "must be onehot, index or cross_entropy".into(),
            }),
        }
    }
}

impl FromStr for Form {
    type Err = crate::error::Error;

    /// As [`Form::parse`].
    fn from_str(name: &str) -> crate::error::Result<Self> {
        Form::parse(name)
    }
}

/// How the characters of a context become the net's input (exercise E01). For a
/// context of one character both are the bigram.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// One one-hot over all V^L contexts: `W` has V^L rows, the context
    /// `c_0 … c_{L−1}` selects row `Σ c_i·V^(L−1−i)`. Equivalent to counting.
    Context,
    /// One one-hot per character, side by side: `W` has L·V rows and the logits are
    /// `Σ_i W[i·V + c_i]`. Fewer weights, a different model.
    Concat,
}

/// Which words train and which are held out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SplitSpec {
    /// Every word trains.
    None,
    /// The page's held-out split: the words shuffled with a PyTorch generator seeded
    /// with `seed` (Fisher–Yates), the first `percent`% (rounded, at least one word,
    /// at most all but one) held out for the dev loss. `percent` 0 is no split.
    HeldOut {
        /// Share of the words held out, in percent.
        percent: u32,
        /// The shuffling seed.
        seed: u64,
    },
    /// makemore's 80/10/10 split of the next lecture: `random.seed(seed)`,
    /// `random.shuffle(words)`, train / dev / test.
    Makemore {
        /// Python's `random.seed`.
        seed: u64,
    },
}

/// Everything that decides the page's numbers from a Reset: the program is a function
/// of these and the word list alone.
#[derive(Debug, Clone, PartialEq)]
pub struct RunSpec {
    /// Characters of context: 1 (the bigram), 2 or 3. 0 is taken as 1.
    pub context_len: usize,
    /// How the context enters the net; only meaningful for `context_len` ≥ 2.
    pub encoding: Encoding,
    /// Held-out words, if any.
    pub split: SplitSpec,
    /// Train on this word's examples alone (the lecture's first run on `emma`); no
    /// split applies then, as on the page.
    pub train_on_word: Option<String>,
    /// Seeds `W` (and the minibatches, which continue its generator) and the samples.
    pub seed: u64,
    /// Learning rate of `W -= lr * W.grad`.
    pub lr: f32,
    /// λ of the loss `mean NLL + λ·mean(W²)`.
    pub l2: f32,
    /// Examples per minibatch; 0 is the full batch.
    pub batch_size: usize,
    /// Optimizer steps taken since the Reset.
    pub steps: u64,
    /// Names to sample after the steps.
    pub sample_count: usize,
    /// Why the page's run cannot be written as one loop (settings changed mid-run, an
    /// import, a resample). The program then says so at the top rather than pretend,
    /// and is the run from Reset with the current settings.
    pub not_one_loop: Option<String>,
}

impl Default for RunSpec {
    /// The lecture's run: the bigram, seed 2147483647, lr 50, λ 0.01, the full batch,
    /// 200 steps, 10 names.
    fn default() -> Self {
        Self {
            context_len: 1,
            encoding: Encoding::Context,
            split: SplitSpec::None,
            train_on_word: None,
            seed: 2_147_483_647,
            lr: 50.0,
            l2: 0.01,
            batch_size: 0,
            steps: 200,
            sample_count: 10,
            not_one_loop: None,
        }
    }
}

/// A Python string literal (single-quoted) whose value is `s`, so that user text can
/// enter the program only as data. Printable ASCII stays as it is (`'` and `\` escaped);
/// non-ASCII letters and digits stay readable (`'zoë'`); everything else, controls, line
/// separators, bidirectional overrides and other invisible characters, is written as
/// an `\x`, `\u` or `\U` escape, so nothing can end the literal or hide code.
pub fn python_str(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('\'');
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\'' => out.push_str("\\'"),
            _ => push_escaped(&mut out, c),
        }
    }
    out.push('\'');
    out
}

/// `c` as it may appear inside a Python string literal or comment: printable ASCII and
/// non-ASCII letters/digits as themselves, the rest escaped. (Quotes and backslashes are
/// the caller's business: a comment needs them as they are.)
fn push_escaped(out: &mut String, c: char) {
    let code = u32::from(c);
    match c {
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        ' '..='~' => out.push(c),
        _ if code >= 0x80 && c.is_alphanumeric() => out.push(c),
        _ if code <= 0xff => {
            let _ = write!(out, "\\x{code:02x}");
        }
        _ if code <= 0xffff => {
            let _ = write!(out, "\\u{code:04x}");
        }
        _ => {
            let _ = write!(out, "\\U{code:08x}");
        }
    }
}

/// `text` as comment lines (`# ...`), wrapped near 80 columns. Each of its lines starts
/// a new comment line; anything but printable ASCII is escaped, so a comment can
/// neither end early nor carry invisible characters.
fn push_comment(out: &mut String, text: &str) {
    for line in text.lines() {
        let mut escaped = String::new();
        for c in line.chars() {
            match c {
                ' '..='~' => escaped.push(c),
                _ => {
                    let mut e = String::new();
                    push_escaped(&mut e, c);
                    // Letters kept readable in a string literal are escaped here: a
                    // comment is plain ASCII.
                    if e.is_ascii() {
                        escaped.push_str(&e);
                    } else {
                        let code = u32::from(c);
                        if code <= 0xffff {
                            let _ = write!(escaped, "\\u{code:04x}");
                        } else {
                            let _ = write!(escaped, "\\U{code:08x}");
                        }
                    }
                }
            }
        }
        let mut current = String::from("#");
        for word in escaped.split(' ').filter(|w| !w.is_empty()) {
            if current.len() > 1 && current.len() + 1 + word.len() > 80 {
                out.push_str(&current);
                out.push('\n');
                current = String::from("#");
            }
            current.push(' ');
            current.push_str(word);
        }
        out.push_str(&current);
        out.push('\n');
    }
}

/// A float32 setting as a Python number that PyTorch turns back into the same float32:
/// the shortest decimal that round-trips through f32 (`0.01`, `50`), unless reading it
/// as a double first would round elsewhere, then the exact value.
fn python_f32(x: f32) -> String {
    if x.is_nan() {
        return "float('nan')".into();
    }
    if x.is_infinite() {
        return if x > 0.0 {
            "float('inf')"
        } else {
            "float('-inf')"
        }
        .into();
    }
    let a = x.abs();
    let short = if a == 0.0 || (1e-5..1e16).contains(&a) {
        format!("{x}")
    } else {
        format!("{x:e}")
    };
    match short.parse::<f64>() {
        // Python reads the literal as a double, PyTorch rounds it to float32.
        Ok(d) if d as f32 == x => short,
        _ => format!("{:e}", f64::from(x)),
    }
}

/// The forward pass's names for a context: the Python expression of the row of `W`
/// that `xs` (examples × L indices) selects, for one one-hot over contexts.
fn context_row_expr(len: usize) -> String {
    (0..len)
        .map(|i| match len - 1 - i {
            0 => format!("xs[:, {i}]"),
            1 => format!("xs[:, {i}] * V"),
            p => format!("xs[:, {i}] * V**{p}"),
        })
        .collect::<Vec<_>>()
        .join(" + ")
}

/// The PyTorch program that reproduces `spec` from a Reset, with the forward pass
/// written in `form`. It reads `names.txt` (the page's word list) from the working
/// directory and prints the training loss (and dev and test losses), then the sampled
/// names. See the module documentation for why it must match the page exactly.
pub fn pytorch_program(spec: &RunSpec, form: Form) -> String {
    let len = spec.context_len.max(1);
    // For one character both encodings are the bigram; the page keeps it as Context.
    let encoding = if len == 1 {
        Encoding::Context
    } else {
        spec.encoding
    };
    let word = spec.train_on_word.as_deref();
    // A split of 0% is no split; training on one word leaves no held-out words.
    let split = match (word, spec.split) {
        (Some(_), _) | (None, SplitSpec::HeldOut { percent: 0, .. }) => SplitSpec::None,
        (None, s) => s,
    };
    let mut p = String::new();
    header(&mut p, spec, form, len, encoding);
    body(&mut p, spec, form, len, encoding, word, split);
    p
}

/// The header comment: what the program is, every setting, and the note when the
/// page's run was not one loop.
fn header(p: &mut String, spec: &RunSpec, form: Form, len: usize, encoding: Encoding) {
    p.push_str("# Bigram Lab: this run as a PyTorch program (makemore, part 1).\n");
    p.push_str("# Run it beside names.txt, the page's word list (one word per line). It starts\n");
    p.push_str("# from Reset and prints the numbers the page shows: the loss on the training\n");
    p.push_str("# words after the steps, and the sampled names.\n#\n");
    if let Some(why) = &spec.not_one_loop {
        p.push_str("# NOTE: the page's run cannot be written as one loop:\n");
        push_comment(p, why);
        p.push_str(
            "# This program does not pretend otherwise: it is the run from Reset with the\n",
        );
        p.push_str(
            "# current settings, which gives the page's numbers after a Reset and the same\n",
        );
        p.push_str("# number of steps, not the numbers of the run on the page.\n#\n");
    }
    p.push_str("# Settings:\n");
    let context = match (len, encoding) {
        (1, _) => "1 character (the bigram)".to_string(),
        (l, Encoding::Context) => {
            format!("{l} characters, one one-hot over the V**{l} contexts (W has V**{l} rows)")
        }
        (l, Encoding::Concat) => {
            format!("{l} characters, one one-hot per character side by side (W has {l}*V rows)")
        }
    };
    let _ = writeln!(p, "#   context:        {context}");
    let (training, held_out) = match (&spec.train_on_word, spec.split) {
        (Some(_), SplitSpec::None | SplitSpec::HeldOut { percent: 0, .. }) => {
            ("one word alone, train_word below", "none".to_string())
        }
        (Some(_), _) => (
            "one word alone, train_word below",
            "none (the page's split does not apply to one word)".to_string(),
        ),
        (None, SplitSpec::None | SplitSpec::HeldOut { percent: 0, .. }) => {
            ("every word", "none".to_string())
        }
        (None, SplitSpec::HeldOut { percent, seed }) => (
            "the rest",
            format!("{percent}% of the words for the dev loss, shuffled with seed {seed}"),
        ),
        (None, SplitSpec::Makemore { seed }) => (
            "the first 80% (makemore's 80/10/10 split)",
            format!("10% dev, 10% test, after random.seed({seed})"),
        ),
    };
    let _ = writeln!(p, "#   training words: {training}");
    let _ = writeln!(p, "#   held out:       {held_out}");
    let _ = writeln!(
        p,
        "#   seed:           {} (W, the minibatches after it, the samples)",
        spec.seed
    );
    let _ = writeln!(p, "#   learning rate:  {}", python_f32(spec.lr));
    let _ = writeln!(
        p,
        "#   L2 strength:    {} (loss = mean NLL + l2 * (W**2).mean())",
        python_f32(spec.l2)
    );
    let batch = if spec.batch_size == 0 {
        "full batch (every training example, each step)".to_string()
    } else {
        format!("{} random examples each step", spec.batch_size)
    };
    let _ = writeln!(p, "#   batch:          {batch}");
    let _ = writeln!(p, "#   steps:          {}", spec.steps);
    let names = crate::error::count(spec.sample_count as u64, "name");
    let _ = writeln!(p, "#   samples:        {names}");
    let form_text = match form {
        Form::OneHot => "one-hot, logits = xenc @ W (the lecture)",
        Form::Index => "logits = W[rows], indexing instead of one-hot (exercise E04)",
        Form::CrossEntropy => "logits = W[rows], loss by F.cross_entropy (exercises E04, E05)",
    };
    let _ = writeln!(p, "#   forward pass:   {form_text}");
    p.push('\n');
}

/// Everything after the header.
fn body(
    p: &mut String,
    spec: &RunSpec,
    form: Form,
    len: usize,
    encoding: Encoding,
    word: Option<&str>,
    split: SplitSpec,
) {
    // Imports: only what this program uses.
    if let SplitSpec::HeldOut { .. } = split {
        p.push_str("import math\n");
    }
    if let SplitSpec::Makemore { .. } = split {
        p.push_str("import random\n");
    }
    p.push_str("import torch\nimport torch.nn.functional as F\n\n");

    let _ = writeln!(p, "seed = {}", spec.seed);
    let _ = writeln!(p, "lr = {}", python_f32(spec.lr));
    let _ = writeln!(p, "l2 = {}", python_f32(spec.l2));
    if spec.batch_size > 0 {
        let _ = writeln!(p, "batch_size = {}", spec.batch_size);
    }
    let _ = writeln!(p, "steps = {}", spec.steps);
    let _ = writeln!(p, "L = {len}  # characters of context");
    if let Some(w) = word {
        let _ = writeln!(p, "train_word = {}", python_str(w));
    }
    p.push('\n');

    words_and_vocab(p);
    splits(p, split, word);
    examples_and_w(p, split, len, encoding);
    forward_and_loss(p, form, len, encoding);
    training_loop(p, spec);
    losses(p, split);
    sampling(p, spec);
}

/// Reading the words as the page does, and the lecture's vocabulary.
fn words_and_vocab(p: &mut String) {
    p.push_str(
        "# The words, read as the page reads a file: the lecture's\n\
         # open('names.txt').read().splitlines(), as UTF-8 with a byte-order mark at the\n\
         # start dropped; each line trimmed of whitespace, blank lines skipped.\n\
         lines = open('names.txt', encoding='utf-8-sig').read().splitlines()\n\
         words = [w.strip() for w in lines]\n\
         words = [w for w in words if w]\n\n\
         # The vocabulary: '.' (start and end) is 0, the characters follow in order.\n\
         chars = sorted(set(''.join(words)))\n\
         stoi = {s: i + 1 for i, s in enumerate(chars)}\n\
         stoi['.'] = 0\n\
         itos = {i: s for s, i in stoi.items()}\n\
         V = len(stoi)\n\n",
    );
}

/// Which words train, and which are held out.
fn splits(p: &mut String, split: SplitSpec, word: Option<&str>) {
    if word.is_some() {
        p.push_str(
            "# Training on one word's examples alone (under the whole list's vocabulary).\n\
             train_words = [train_word]\n\n",
        );
        return;
    }
    match split {
        SplitSpec::None | SplitSpec::HeldOut { percent: 0, .. } => {
            p.push_str("train_words = words\n\n");
        }
        SplitSpec::HeldOut { percent, seed } => {
            let _ = write!(
                p,
                "# The held-out split: the words shuffled (Fisher-Yates, in file order) by a\n\
                 # generator of their own, then the first {percent}% held out for the dev loss.\n\
                 g = torch.Generator().manual_seed({seed})\n\
                 for i in range(len(words) - 1, 0, -1):\n    \
                     j = int(torch.randint(0, i + 1, (1,), generator=g))\n    \
                     words[i], words[j] = words[j], words[i]\n\
                 x = len(words) * ({percent} / 100)\n\
                 # Rounded half away from zero (Python's round() would round half to even),\n\
                 # at least one word and all but one at most.\n\
                 n_dev = math.floor(x) + (1 if x - math.floor(x) >= 0.5 else 0)\n\
                 n_dev = min(max(n_dev, 1), len(words) - 1)\n\
                 dev_words, train_words = words[:n_dev], words[n_dev:]\n\n"
            );
        }
        SplitSpec::Makemore { seed } => {
            let _ = write!(
                p,
                "# makemore's split (the next lecture): 80% train, 10% dev, 10% test.\n\
                 random.seed({seed})\n\
                 random.shuffle(words)\n\
                 n1 = int(0.8 * len(words))\n\
                 n2 = int(0.9 * len(words))\n\
                 train_words, dev_words, test_words = words[:n1], words[n1:n2], words[n2:]\n\n"
            );
        }
    }
}

/// The examples of the training (and held-out) words, and `W`.
fn examples_and_w(p: &mut String, split: SplitSpec, len: usize, encoding: Encoding) {
    p.push_str(
        "def build_dataset(words):\n    \
             \"\"\"Each word's examples: the L characters before (all '.' at the start) and\n    \
             the one after, for every character and the final '.'.\"\"\"\n    \
             xs, ys = [], []\n    \
             for w in words:\n        \
                 context = [0] * L\n        \
                 for ch in w + '.':\n            \
                     ix = stoi[ch]\n            \
                     xs.append(context)\n            \
                     ys.append(ix)\n            \
                     context = context[1:] + [ix]\n    \
             return torch.tensor(xs), torch.tensor(ys)\n\n\
         Xtr, Ytr = build_dataset(train_words)\n",
    );
    match split {
        SplitSpec::HeldOut { .. } => p.push_str("Xdev, Ydev = build_dataset(dev_words)\n"),
        SplitSpec::Makemore { .. } => p.push_str(
            "Xdev, Ydev = build_dataset(dev_words)\nXte, Yte = build_dataset(test_words)\n",
        ),
        SplitSpec::None => {}
    }
    p.push('\n');
    match encoding {
        Encoding::Context if len == 1 => p.push_str("R = V  # rows of W: one per character\n"),
        Encoding::Context => {
            p.push_str("R = V**L  # rows of W: one per context, one one-hot over all of them\n")
        }
        Encoding::Concat => {
            p.push_str("R = L * V  # rows of W: one one-hot of V per character, side by side\n")
        }
    }
    p.push_str(
        "g = torch.Generator().manual_seed(seed)\n\
         W = torch.randn((R, V), generator=g, requires_grad=True)\n",
    );
    p.push_str(NPY_LINES);
    p.push('\n');
}

/// How to start from the page's own `W` (its *Export W (.npy)* button) instead of the
/// seed's: as comments, so that the program stays the run from Reset. `torch.tensor`
/// copies the float32 numbers exactly and makes a leaf that requires grad, which the
/// loop's `W.grad` and `W.data +=` need; `dtype` keeps a float64 file from a notebook
/// from turning `W` (and every product with it) into float64.
const NPY_LINES: &str =
    "# To start from the page's W instead of the seed's (its Export W (.npy) button),\n\
     # put these two lines in place of the one above: W.npy holds float32, so W gets\n\
     # the page's numbers exactly, as a leaf tensor the loop can train.\n\
     #   import numpy as np\n\
     #   W = torch.tensor(np.load('W.npy'), dtype=torch.float32, requires_grad=True)\n\
     # And back: np.save('W.npy', W.detach().numpy()) writes a W the page imports.\n";

/// Why the indexed forms pick rows from a float64 copy of `W`. Indexing's backward adds
/// each example's gradient into its row one at a time; in float32, over the ~10^4
/// examples a row of the default list gets, the roundings add up to about 1e-5 of the
/// gradient (measured: 1.8e-5 against 1.4e-7 for the one-hot product, whose matrix
/// product sums in blocks), enough to move the side-by-side net's loss in the 4th
/// decimal after 200 steps; with several threads it is not even repeatable. Picking
/// from `W.double()` and rounding back with `.float()` leaves the logits bit for bit
/// what `W[rows]` gives, and sums the gradient in float64 (error 8e-9).
const F64_GATHER: &str =
    "    # The rows come from a float64 copy of W and are rounded back: the same\n    \
     # logits, but the backward pass, which adds each example's gradient into its row\n    \
     # one at a time, then sums in float64. In float32 the roundings of that many\n    \
     # additions add up (about 1e-5) and can move the loss in its 4th decimal.\n";

/// `forward`, `probs_of` and `loss_of`: the only part that differs between the forms.
fn forward_and_loss(p: &mut String, form: Form, len: usize, encoding: Encoding) {
    p.push_str("def forward(xs):\n    \"\"\"The logits of each example's context (xs: examples x L).\"\"\"\n");
    match (form, encoding) {
        (Form::OneHot, Encoding::Context) => {
            let _ = writeln!(p, "    rows = {}", context_row_expr(len));
            if len > 1 {
                p.push_str(
                    "    # xenc holds len(xs) * V**L numbers: for a long list, more memory than\n    \
                     # the Index form (E04) needs for the same logits.\n",
                );
            }
            p.push_str(
                "    xenc = F.one_hot(rows, num_classes=R).float()\n    \
                 return xenc @ W\n\n",
            );
        }
        (Form::OneHot, Encoding::Concat) => p.push_str(
            "    xenc = torch.cat([F.one_hot(xs[:, i], num_classes=V) for i in range(L)], dim=1).float()\n    \
             return xenc @ W\n\n",
        ),
        (_, Encoding::Context) => {
            let _ = writeln!(p, "    rows = {}", context_row_expr(len));
            p.push_str(
                "    # xenc @ W with a one-hot xenc only picks rows of W: index them, W[rows]\n    \
                 # (E04).\n",
            );
            p.push_str(F64_GATHER);
            p.push_str("    return W.double()[rows].float()\n\n");
        }
        (_, Encoding::Concat) => {
            p.push_str(
                "    # xenc @ W with one one-hot per character adds one row of W per character:\n    \
                 # index and add them, sum(W[i * V + xs[:, i]] for i in range(L)) (E04).\n",
            );
            p.push_str(F64_GATHER);
            p.push_str("    return sum(W.double()[i * V + xs[:, i]].float() for i in range(L))\n\n");
        }
    }
    match form {
        Form::OneHot | Form::Index => p.push_str(
            "def probs_of(xs):\n    \
                 \"\"\"p(next character | context) for each example.\"\"\"\n    \
                 logits = forward(xs)\n    \
                 counts = logits.exp()\n    \
                 return counts / counts.sum(1, keepdims=True)\n\n\
             def loss_of(xs, ys):\n    \
                 \"\"\"Mean negative log likelihood of the labels, plus the L2 term.\"\"\"\n    \
                 probs = probs_of(xs)\n    \
                 nll = -probs[torch.arange(len(ys)), ys].log().mean()\n    \
                 return nll + l2 * (W**2).mean()\n\n",
        ),
        Form::CrossEntropy => p.push_str(
            "def probs_of(xs):\n    \
                 \"\"\"p(next character | context) for each example.\"\"\"\n    \
                 return F.softmax(forward(xs), dim=1)\n\n\
             def loss_of(xs, ys):\n    \
                 \"\"\"Mean negative log likelihood of the labels, plus the L2 term.\"\"\"\n    \
                 # F.cross_entropy instead of exp, normalise, pick, log (E05): it is\n    \
                 # numerically safe (it subtracts each row's max before exp, so large\n    \
                 # logits cannot overflow to inf and make the loss nan), and fused: one\n    \
                 # kernel forward and a simple backward, (probs - onehot) / n, with no\n    \
                 # counts and probs tensors kept for autograd, so faster and lighter.\n    \
                 nll = F.cross_entropy(forward(xs), ys)\n    \
                 return nll + l2 * (W**2).mean()\n\n",
        ),
    }
}

/// The lecture's loop: forward, zero the gradient, backward, update.
fn training_loop(p: &mut String, spec: &RunSpec) {
    p.push_str("for k in range(steps):\n");
    if spec.batch_size > 0 {
        p.push_str(
            "    # forward pass, on a minibatch drawn by g, which goes on from W's draws\n    \
             ix = torch.randint(0, Xtr.shape[0], (batch_size,), generator=g)\n    \
             loss = loss_of(Xtr[ix], Ytr[ix])\n",
        );
    } else {
        p.push_str("    # forward pass, on every training example\n    loss = loss_of(Xtr, Ytr)\n");
    }
    p.push_str(
        "    # backward pass\n    \
             W.grad = None  # set the gradient to zero\n    \
             loss.backward()\n    \
             # update\n    \
             W.data += -lr * W.grad\n\n",
    );
}

/// The losses the page shows after the steps.
fn losses(p: &mut String, split: SplitSpec) {
    p.push_str(
        "# The loss of the whole training data, as the page shows it.\n\
         loss = loss_of(Xtr, Ytr)\n\
         print(f'loss {loss.item():.4f}')\n",
    );
    match split {
        SplitSpec::HeldOut { .. } => {
            p.push_str("print(f'dev loss {loss_of(Xdev, Ydev).item():.4f}')\n");
        }
        SplitSpec::Makemore { .. } => p.push_str(
            "print(f'dev loss {loss_of(Xdev, Ydev).item():.4f}')\n\
             # The lecture's rule: look at the test loss only once, at the very end;\n\
             # choosing settings by it would fit the test words too.\n\
             print(f'test loss {loss_of(Xte, Yte).item():.4f}')\n",
        ),
        SplitSpec::None => {}
    }
    p.push('\n');
}

/// Sampling with a fresh generator, the context sliding by each character drawn.
fn sampling(p: &mut String, spec: &RunSpec) {
    let _ = write!(
        p,
        "# Sampling, with a fresh generator from the seed.\n\
         g = torch.Generator().manual_seed(seed)\n\
         for i in range({}):\n    \
             out = []\n    \
             context = [0] * L\n    \
             for _ in range(256):  # the page ends a name at 256 characters, '.' or not\n        \
                 p = probs_of(torch.tensor([context]))[0]\n        \
                 ix = torch.multinomial(p, num_samples=1, replacement=True, generator=g).item()\n        \
                 out.append(itos[ix])\n        \
                 if ix == 0:\n            \
                     break\n        \
                 context = context[1:] + [ix]\n    \
             print(''.join(out))\n",
        spec.sample_count
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floats_read_back_as_the_same_float32() {
        for x in [
            0.01f32,
            50.0,
            0.1,
            1e-7,
            3e20,
            1.0 / 3.0,
            f32::MIN_POSITIVE,
            f32::MAX,
        ] {
            let s = python_f32(x);
            assert_eq!(s.parse::<f64>().unwrap() as f32, x, "{x} as {s}");
        }
        assert_eq!(python_f32(0.01), "0.01");
        assert_eq!(python_f32(50.0), "50");
    }

    #[test]
    fn counts_are_singular_for_one() {
        assert_eq!(crate::error::count(1u64, "word"), "1 word");
        assert_eq!(crate::error::count(2u64, "word"), "2 words");
        assert_eq!(crate::error::count(0u64, "name"), "0 names");
        let one = RunSpec {
            sample_count: 1,
            ..RunSpec::default()
        };
        assert!(pytorch_program(&one, Form::OneHot).contains("#   samples:        1 name\n"));
    }

    #[test]
    fn forms_parse_by_their_names_on_the_page() {
        assert_eq!("onehot".parse::<Form>(), Ok(Form::OneHot));
        assert_eq!("index".parse::<Form>(), Ok(Form::Index));
        assert_eq!(Form::parse("cross_entropy"), Ok(Form::CrossEntropy));
        let err = "one_hot".parse::<Form>().unwrap_err().to_string();
        assert_eq!(err, "code form: must be onehot, index or cross_entropy");
    }
}
