// The text of `pmw --help` and the version: what the CLI entry prints without loading any command.
import pkg from '../../package.json';
import { FAILURE_CLASSES, ROLES, SEVERITIES } from '../../shared/domain';

export const APP_VERSION: string = pkg.version;

/** The team section (pmw team without a known subcommand prints it too). */
export const TEAM_HELP = `Team sync over git
  pmw team join REMOTE [--name N]            connect this database to the team's git repository
                                             (any URL or path your git can push to) and sync
  pmw team sync [--json]                     pull, merge, commit with your git identity and hooks, push;
                                             offline: says so and keeps your changes queued
  pmw team status [--json]                   last synced, queued (ahead), behind, open conflicts
  pmw team resolve KEY FIELD --take mine|theirs
                                             settle a same-field conflict (FIELD as status lists it;
                                             a drill scenario's: its id and scenario.<uid>)
  pmw team leave --yes                       stop syncing (the incidents stay in this database)`;

export const HELP = `pmw — Postmortem Workbench CLI ${APP_VERSION}

Usage: pmw <command> [options]

Incidents
  pmw incident new --title T --severity SEV1..SEV4 --class CLASS [--service S] [--impact I]
                   [--detected-at ISO] [--started-at ISO]
  pmw incident list [--phase P|open|closed] [--severity S] [--class C] [--query Q]
                    [--sort updated|created|severity|key] [--drills] [--limit N] [--cursor C]
                                              100 rows a page; the footer gives the next --cursor
  pmw incident show KEY
  pmw incident advance KEY [--reason R]       pass the current phase's gate (a reason is
                                              required when exit criteria are unmet)
  pmw incident reopen KEY --reason R          a closed incident back to review (closed ones are read-only)
  pmw incident note KEY TEXT [--kind note|action|evidence|decision|comms] [--at ISO]
  pmw incident role KEY ROLE PERSON           ROLE: ${ROLES.join(', ')}
  pmw incident set KEY [--impact I] [--service S] [--hypothesis H] [--mitigation M] [--verified]
                   [--resolution R] [--summary S] [--lessons L] [--severity S] [--class C] [--origin O]

Artifacts and diffs
  pmw artifact add KEY --role last-known-good|failing|other [--label L] [--kind K] FILE
  pmw artifact list KEY
  pmw diff A B [--kind K]                    semantic diff of two files; needs no database.
                                             Exit 0: no change of severity warning or above,
                                             1: there are such changes, 2: error (also when A or B
                                             cannot be parsed as its kind: FILE:LINE on stderr)

Findings, tests, runbooks, postmortems
  pmw finding suggest KEY [--accept]         one finding per change of severity warning or above
                                             across the incident's artifact pairs (--accept stores them)
  pmw finding list KEY
  pmw stubs KEY --out DIR                    write the pytest module(s), runbook and postmortem to DIR
  pmw postmortem KEY                         the postmortem as Markdown on stdout
  pmw export KEY --repo PATH [--branch B] [--dry-run]
                                             commit the files on a new branch of a local git repo;
                                             refused when a file to write holds a secret
                    [--allow-secret FILE:LINE:RULE[,…] --reason R]
                                             override those scan hits (a known fixture; logged)
  pmw export KEY --repo PATH --branch B --finish|--discard
                                             an interrupted export (refused as HALF_FINISHED):
                                             record it, or remove its branch and worktree
  pmw bundle export KEY [--include-secrets] > inc.json
                                             the whole incident as one JSON document, secrets
                                             masked (--include-secrets keeps them in clear)
  pmw bundle import FILE                     restore it (refused unchanged if malformed or newer)

Drills
  pmw drill list [--json]                    the scenario library (--json adds the expected class)
  pmw drill run SCENARIO [--participant NAME]
                                             a solo drill in the terminal: plain prompts on
                                             stdin/stdout (works over SSH and from a script);
                                             prints the debrief and score at the end
  pmw drill report ID                        a finished drill's report as Markdown (ID: number or KEY)
  pmw drill history [NAME]                   past drills with scores and the trend
  pmw drill export SCENARIO                  the scenario as a content file (drills/<id>.json)

Search, history, analytics, follow-ups
  pmw search QUERY [--class C] [--severity S] [--service S] [--phase P|open|closed]
                   [--since ISO] [--until ISO] [--drills] [--limit N]
                                             titles, summaries, timeline notes, findings,
                                             postmortems, runbooks and artifact changes
  pmw incident similar KEY [--limit N]       earlier incidents sharing the same changes
  pmw stats [--since ISO] [--until ISO] [--csv] [--out FILE]
                                             MTTA/MTTD/MTTM/MTTR median and p90 against seed 002's
                                             tiers (drills excluded); --csv writes the figures as CSV
  pmw action list [KEY] [--open] [--overdue] [--owner O] [--type T]
                                             action items across incidents (the follow-up backlog)

Timeline import, capture, runbook cells
  pmw timeline import KEY FILE --format slack|pagerduty|alertmanager|csv [--dry-run] [--tz ZONE]
                                             events at their own times (attributed; joins, bots and
                                             edit records dropped); importing again adds only what is
                                             new. FILE: the export (Slack: the zip, its folder or a day
                                             file). --tz: zone of CSV times written without one
  pmw capture [--dir D] [--out FILE] [--python P] [--k8s NAMESPACE/DEPLOYMENT] [--include GLOB]…
                                             one .pmwcap file (zip + versioned manifest): Python
                                             packages, lockfiles, OS/CPU/GPU/driver/CUDA, env (secrets
                                             masked at the source), git HEAD, image; needs no database.
                                             Add it with pmw artifact add: one artifact per part
  pmw run FILE.md [--cell N | --all] [--yes] [--incident KEY] [--timeout S]
                                             run sh cells after showing each command and asking (--yes:
                                             don't ask); the output is kept under the cell in FILE.md;
                                             --all stops at the first failing cell (exit 1); exported
                                             variables carry over; --incident: each run on its timeline
                                             as evidence, the output as an artifact. No flag: list cells

${TEAM_HELP}

Web host
  pmw serve [--port N] [--no-build] [--allow-exec]
                                             serve the UI and API on 127.0.0.1, print the URL;
                                             runbook cells run only with --allow-exec

Store health
  pmw backup [--out FILE]                    an online backup (into the backups folder beside the
                                             database, or to FILE; FILE-blobs holds the artifacts)
  pmw backup --list                          the backups, newest first
  pmw restore FILE                           check FILE (integrity, schema), keep the current database
                                             aside as a pre-restore backup, restore FILE; deletes nothing
  pmw doctor                                 integrity and foreign-key checks, WAL state, stored bytes,
                                             leftover temp files, half-finished exports, backups.
                                             Exit 0 healthy, 1 warnings, 2 problems

Options (every command)
  --db PATH     database file (default: $PMW_DB, else the platform data directory)
  --json        machine-readable output
  --help, -h    this help;  --version  print the version

Classes: ${FAILURE_CLASSES.join(', ')}.  Severities: ${SEVERITIES.join(', ')}.
Exit codes: 0 success, 2 error (message on stderr), 130 interrupted (Ctrl+C; nothing half-written).
Secrets are masked in every output (AKIA…[masked], postgres://svc:••••@db:5432/x); unmasked values are
shown only in the desktop app.
`;
