//! `phieu users`: accounts in the server's database (see docs/office.md).

use crate::store::{Account, Location, Role, Store};
use std::process::ExitCode;

/// How long a one-time sign-in link stays valid.
pub const SIGNIN_VALID_MS: f64 = 24.0 * 3600.0 * 1000.0;

#[derive(clap::Args)]
pub struct Options {
    /// The database `phieu serve --db` uses: a SQLite file (created if missing) or a postgres:// URL.
    #[arg(long, env = "PHIEU_DB", default_value = "phieu.db", global = true, value_parser = |s: &str| Ok::<_, String>(Location::parse(s)))]
    db: Location,
    #[command(subcommand)]
    command: Command,
}

#[derive(clap::Subcommand)]
enum Command {
    /// Make an account; prints its id, its token (once) and a link to hand over.
    Add {
        #[arg(long)]
        name: String,
        /// collaborator, office or admin.
        #[arg(long)]
        role: String,
        /// The account's unit (a district, e.g. ha-dong).
        #[arg(long)]
        unit: Option<String>,
        /// The address the links start with.
        #[arg(long, env = "PHIEU_PUBLIC_URL", default_value = "http://127.0.0.1:8080")]
        url: String,
    },
    /// List the accounts: id, name, role, unit, created, revoked.
    List,
    /// Revoke an account: its token, sessions and links stop working at once.
    Revoke { id: String },
    /// Set an office or admin account's password, read from the first line of standard input.
    Password { id: String },
    /// A new one-time sign-in link for an office or admin account (valid 24 hours).
    Link {
        id: String,
        #[arg(long, env = "PHIEU_PUBLIC_URL", default_value = "http://127.0.0.1:8080")]
        url: String,
    },
}

pub fn run(opts: Options) -> ExitCode {
    match run_inner(opts) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("phieu users: {e}");
            ExitCode::FAILURE
        }
    }
}

fn open(db: &Location) -> Result<Store, String> {
    Store::open(db).map_err(|e| format!("cannot open the database {db}: {e}"))
}

/// Checks a new account's fields (shared with the admin API).
pub fn check_account(name: &str, role: &str, unit: Option<&str>) -> Result<Role, String> {
    let role = Role::parse(role).ok_or_else(|| format!("role '{role}' is not one of collaborator, office, admin"))?;
    if name.trim().is_empty() || name.chars().count() > 200 || name.chars().any(char::is_control) {
        return Err("the name must be 1 to 200 characters, without control characters".into());
    }
    if let Some(u) = unit {
        if u.is_empty() || u.len() > 100 || !u.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') {
            return Err(format!("unit '{u}' must be 1 to 100 letters, digits, '-' or '_' (e.g. ha-dong)"));
        }
    }
    Ok(role)
}

/// The link to hand a new account: the enrolment link for a collaborator,
/// a one-time office sign-in link otherwise. Secrets go after `#`, which a
/// browser never sends to a server.
pub fn link(store: &mut Store, account: &Account, token: &str, url: &str) -> Result<String, String> {
    let base = url.trim_end_matches('/');
    if account.role == Role::Collaborator {
        return Ok(format!("{base}/?screen=enrol#token={token}"));
    }
    signin_link(store, account, base)
}

pub fn signin_link(store: &mut Store, account: &Account, base: &str) -> Result<String, String> {
    let expires = phieu_core::expr::iso_string(now_ms() + SIGNIN_VALID_MS);
    let secret = store.add_signin(&account.id, &expires)?;
    Ok(format!("{}/office/#signin={secret}", base.trim_end_matches('/')))
}

pub fn now_ms() -> f64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0.0, |d| d.as_millis() as f64)
}

/// An argon2id hash of a password, as a PHC string.
pub fn hash_password(password: &str) -> Result<String, String> {
    use argon2::PasswordHasher;
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|e| format!("the system gave no random numbers: {e}"))?;
    let hash = argon2::Argon2::default().hash_password_with_salt(password.as_bytes(), &salt).map_err(|e| format!("hashing failed: {e}"))?;
    Ok(hash.to_string())
}

pub fn verify_password(password: &str, phc: &str) -> bool {
    use argon2::PasswordVerifier;
    argon2::Argon2::default().verify_password(password.as_bytes(), phc).is_ok()
}

fn run_inner(opts: Options) -> Result<(), String> {
    let mut store = open(&opts.db)?;
    let now = crate::time::now_rfc3339();
    match opts.command {
        Command::Add { name, role, unit, url } => {
            let role = check_account(&name, &role, unit.as_deref())?;
            let (account, token) = store.add_account(&name, role, unit.as_deref(), &now)?;
            let link = link(&mut store, &account, &token, &url)?;
            println!("id: {}", account.id);
            println!("token: {token}");
            println!("link: {link}");
            if role != Role::Collaborator {
                eprintln!("phieu users: the link signs in once, within 24 hours; `phieu users link {}` makes another", account.id);
            }
            eprintln!("phieu users: the token is shown only now; keep it secret");
        }
        Command::List => {
            let accounts = store.accounts().map_err(|e| format!("cannot read the accounts: {e}"))?;
            println!("id\tname\trole\tunit\tcreated\trevoked");
            for a in accounts {
                println!(
                    "{}\t{}\t{}\t{}\t{}\t{}",
                    a.id,
                    a.name,
                    a.role.as_str(),
                    a.unit.as_deref().unwrap_or("-"),
                    a.created_at,
                    a.revoked_at.as_deref().unwrap_or("-")
                );
            }
        }
        Command::Revoke { id } => {
            if !store.revoke(&id, &now).map_err(|e| format!("cannot revoke: {e}"))? {
                return Err(format!("no account '{id}'; `phieu users list` shows them"));
            }
            println!("revoked {id}");
        }
        Command::Password { id } => {
            let account = find(&mut store, &id)?;
            if account.role == Role::Collaborator {
                return Err("only office and admin accounts sign in with a password".into());
            }
            let mut line = String::new();
            std::io::stdin().read_line(&mut line).map_err(|e| format!("cannot read the password: {e}"))?;
            let password = line.trim_end_matches(['\n', '\r']);
            if password.chars().count() < 12 {
                return Err("the password must have at least 12 characters".into());
            }
            let phc = hash_password(password)?;
            match store.set_password(&id, &phc) {
                Ok(true) => println!("password set for {id}"),
                Ok(false) => return Err(format!("no account '{id}' that is not revoked")),
                Err(e) => return Err(format!("cannot set the password (is another account of that name using a password?): {e}")),
            }
        }
        Command::Link { id, url } => {
            let account = find(&mut store, &id)?;
            if account.role == Role::Collaborator {
                return Err("a collaborator enrols with its token; make a new account to get a new one".into());
            }
            println!("link: {}", signin_link(&mut store, &account, &url)?);
        }
    }
    Ok(())
}

fn find(store: &mut Store, id: &str) -> Result<Account, String> {
    let accounts = store.accounts().map_err(|e| format!("cannot read the accounts: {e}"))?;
    accounts
        .into_iter()
        .find(|a| a.id == id && a.revoked_at.is_none())
        .ok_or_else(|| format!("no account '{id}' that is not revoked; `phieu users list` shows them"))
}
