//! ISAKMP / IKEv1 policies: attributes as configured, then completed with
//! the platform's defaults (a policy that sets only some attributes takes
//! the defaults for the rest).

use ipsec_doctor_model::config::{IkeAuth, IkeEncryption, IkeHash, IkePolicy, Origin};

/// Values an ISAKMP policy takes for attributes it does not set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Defaults {
    /// Encryption.
    pub encryption: IkeEncryption,
    /// Hash.
    pub hash: IkeHash,
    /// Authentication.
    pub auth: IkeAuth,
    /// DH group.
    pub group: u8,
    /// Lifetime, seconds.
    pub lifetime: u32,
}

/// IOS `crypto isakmp policy`: DES, SHA-1, RSA signatures, group 1, 86400 s.
pub const IOS_DEFAULTS: Defaults = Defaults {
    encryption: IkeEncryption::Des,
    hash: IkeHash::Sha1,
    auth: IkeAuth::RsaSig,
    group: 1,
    lifetime: 86_400,
};

/// PIX 6 `isakmp policy`: as IOS.
pub const PIX_DEFAULTS: Defaults = IOS_DEFAULTS;

/// ASA `crypto ikev1 policy` (and ASA < 8.4 `crypto isakmp policy`):
/// 3DES, SHA-1, pre-share, group 2, 86400 s.
pub const ASA_DEFAULTS: Defaults = Defaults {
    encryption: IkeEncryption::TripleDes,
    hash: IkeHash::Sha1,
    auth: IkeAuth::PreShare,
    group: 2,
    lifetime: 86_400,
};

/// `lifetime none` (ASA): no limit.
pub const LIFETIME_NONE: u32 = u32::MAX;

/// A policy while its lines are read.
#[derive(Debug, Clone)]
pub struct PolicyDraft {
    origin: Origin,
    encryption: Option<IkeEncryption>,
    hash: Option<IkeHash>,
    auth: Option<IkeAuth>,
    group: Option<u8>,
    lifetime: Option<u32>,
}

/// `des`, `3des`, `aes`, `aes 192`, `aes-256`, … (words after `encryption`).
pub fn encryption(words: &[&str]) -> Option<IkeEncryption> {
    let joined = words.join("-").to_ascii_lowercase();
    Some(match joined.as_str() {
        "des" => IkeEncryption::Des,
        "3des" => IkeEncryption::TripleDes,
        "aes" | "aes-128" => IkeEncryption::Aes128,
        "aes-192" => IkeEncryption::Aes192,
        "aes-256" => IkeEncryption::Aes256,
        _ => return None,
    })
}

/// `md5`, `sha`, `sha256`, `sha384`, `sha512`.
pub fn hash(word: &str) -> Option<IkeHash> {
    Some(match word.to_ascii_lowercase().as_str() {
        "md5" => IkeHash::Md5,
        "sha" | "sha1" | "sha-1" => IkeHash::Sha1,
        "sha256" | "sha-256" => IkeHash::Sha256,
        "sha384" | "sha-384" => IkeHash::Sha384,
        "sha512" | "sha-512" => IkeHash::Sha512,
        _ => return None,
    })
}

/// `pre-share`, `rsa-sig`, `rsa-encr`.
pub fn auth(word: &str) -> Option<IkeAuth> {
    Some(match word.to_ascii_lowercase().as_str() {
        "pre-share" => IkeAuth::PreShare,
        "rsa-sig" => IkeAuth::RsaSig,
        "rsa-encr" => IkeAuth::RsaEncr,
        _ => return None,
    })
}

/// The ISAKMP policy attribute `word` abbreviates: the CLI takes any
/// prefix of a keyword that no other command of the mode shares (`encr`,
/// which IOS prints, or PIX 6.3's `isakmp policy 10 encrypt aes-256`);
/// three letters at least, since `e` and `en` could be read as `exit` by
/// other modes.
pub(crate) fn policy_keyword(word: &str) -> Option<&'static str> {
    let w = word.to_ascii_lowercase();
    if w.len() < 3 {
        return None;
    }
    ["encryption", "hash", "authentication", "group", "lifetime"]
        .into_iter()
        .find(|k| k.starts_with(&w))
}

impl PolicyDraft {
    /// A policy defined at `origin` with nothing set yet.
    pub fn new(origin: Origin) -> PolicyDraft {
        PolicyDraft {
            origin,
            encryption: None,
            hash: None,
            auth: None,
            group: None,
            lifetime: None,
        }
    }

    /// Applies one attribute (`encr aes 256`, `hash md5`, `group 5`, …);
    /// false when it is not understood.
    pub fn apply(&mut self, w: &[&str]) -> bool {
        let Some(attr) = w.first() else {
            return false;
        };
        let args = &w[1..];
        match policy_keyword(attr) {
            Some("encryption") => encryption(args).map(|e| self.encryption = Some(e)),
            Some("hash") if args.len() == 1 => hash(args[0]).map(|h| self.hash = Some(h)),
            Some("authentication") if args.len() == 1 => auth(args[0]).map(|a| self.auth = Some(a)),
            Some("group") if args.len() == 1 => {
                crate::util::num(args[0]).map(|g| self.group = Some(g))
            }
            Some("lifetime") if args.len() == 1 => {
                if args[0].eq_ignore_ascii_case("none") {
                    self.lifetime = Some(LIFETIME_NONE);
                    Some(())
                } else {
                    crate::util::num(args[0]).map(|l| self.lifetime = Some(l))
                }
            }
            _ => None,
        }
        .is_some()
    }

    /// The complete policy.
    pub fn finish(&self, priority: u32, d: &Defaults) -> IkePolicy {
        IkePolicy {
            priority,
            encryption: self.encryption.unwrap_or(d.encryption),
            hash: self.hash.unwrap_or(d.hash),
            auth: self.auth.unwrap_or(d.auth),
            group: self.group.unwrap_or(d.group),
            lifetime: self.lifetime.unwrap_or(d.lifetime),
            origin: Some(self.origin.clone()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn abbreviated_attributes() {
        // PIX 6.3 `isakmp policy 10 encrypt aes-256`, `auth pre-share`.
        let mut p = PolicyDraft::new(Origin::default());
        assert!(p.apply(&["encrypt", "aes-256"]));
        assert!(p.apply(&["auth", "pre-share"]));
        assert!(p.apply(&["life", "3600"]));
        assert!(!p.apply(&["en", "aes"]));
        assert!(!p.apply(&["exit"]));
        let done = p.finish(10, &PIX_DEFAULTS);
        assert_eq!(done.encryption, IkeEncryption::Aes256);
        assert_eq!(done.auth, IkeAuth::PreShare);
        assert_eq!(done.lifetime, 3600);
    }

    #[test]
    fn attributes_and_defaults() {
        let mut p = PolicyDraft::new(Origin::default());
        assert!(p.apply(&["encr", "aes", "256"]));
        assert!(p.apply(&["group", "14"]));
        assert!(!p.apply(&["hash", "whirlpool"]));
        assert!(!p.apply(&["group"]));
        let done = p.finish(10, &IOS_DEFAULTS);
        assert_eq!(done.encryption, IkeEncryption::Aes256);
        assert_eq!(done.hash, IkeHash::Sha1);
        assert_eq!(done.auth, IkeAuth::RsaSig);
        assert_eq!((done.group, done.lifetime), (14, 86_400));
        let asa = PolicyDraft::new(Origin::default()).finish(1, &ASA_DEFAULTS);
        assert_eq!(
            (asa.encryption, asa.auth, asa.group),
            (IkeEncryption::TripleDes, IkeAuth::PreShare, 2)
        );
        assert_eq!(encryption(&["aes"]), Some(IkeEncryption::Aes128));
        assert_eq!(encryption(&["aes-192"]), Some(IkeEncryption::Aes192));
        let mut p = PolicyDraft::new(Origin::default());
        assert!(p.apply(&["lifetime", "none"]));
        assert_eq!(p.finish(1, &ASA_DEFAULTS).lifetime, LIFETIME_NONE);
    }
}
