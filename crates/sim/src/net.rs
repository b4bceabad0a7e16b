//! Addresses: which device owns an address, which address a crypto map uses.

use ipsec_doctor_model::config::DeviceConfig;
use std::collections::HashMap;
use std::net::Ipv4Addr;

/// Which configuration owns each interface address; built once so that a
/// fleet of thousands of devices pairs in linear time.
#[derive(Debug, Clone, Default)]
pub struct AddressIndex {
    owners: HashMap<Ipv4Addr, usize>,
}

impl AddressIndex {
    /// Indexes every interface address (the first owner wins).
    pub fn build(configs: &[DeviceConfig]) -> AddressIndex {
        let mut owners = HashMap::new();
        for (i, c) in configs.iter().enumerate() {
            for ifc in &c.interfaces {
                if let Some((a, _)) = ifc.address {
                    owners.entry(a).or_insert(i);
                }
            }
        }
        AddressIndex { owners }
    }

    /// Index of the configuration whose interface has `addr`.
    pub fn owner(&self, addr: Ipv4Addr) -> Option<usize> {
        self.owners.get(&addr).copied()
    }
}

/// The address a crypto map negotiates from: its `local-address` interface,
/// else the interface it is applied to.
pub fn local_address_for(c: &DeviceConfig, map: &str) -> Option<Ipv4Addr> {
    if let Some(ifname) = c.map_local_address.get(map) {
        return c.interface(ifname).and_then(|i| i.address).map(|(a, _)| a);
    }
    map_interface(c, map)
        .and_then(|i| i.address)
        .map(|(a, _)| a)
}

/// The interface a crypto map is applied to.
pub fn map_interface<'c>(
    c: &'c DeviceConfig,
    map: &str,
) -> Option<&'c ipsec_doctor_model::config::Interface> {
    c.interfaces
        .iter()
        .find(|i| i.crypto_map.as_deref() == Some(map) && !i.shutdown)
}

/// The interface that owns `addr` on `c`.
pub fn interface_with(
    c: &DeviceConfig,
    addr: Ipv4Addr,
) -> Option<&ipsec_doctor_model::config::Interface> {
    c.interfaces
        .iter()
        .find(|i| i.address.is_some_and(|(a, _)| a == addr))
}
