//! OWS 1.1 common parts of capabilities (WMTS 1.0, WFS 2.0).

use crate::xml::Xml;

pub struct ServiceInfo<'a> {
    pub title: &'a str,
    pub abstract_: &'a str,
    pub provider_name: &'a str,
    pub provider_site: &'a str,
    pub contact_email: &'a str,
    /// Absolute base URL of the server, without trailing slash.
    pub base_url: &'a str,
}

/// ows:ServiceIdentification and ows:ServiceProvider.
pub fn service_sections(x: &mut Xml, info: &ServiceInfo, service_type: &str, version: &str) {
    x.open("ows:ServiceIdentification", &[]);
    x.text("ows:Title", info.title);
    x.text("ows:Abstract", info.abstract_);
    x.text("ows:ServiceType", service_type);
    x.text("ows:ServiceTypeVersion", version);
    x.text("ows:Fees", "none");
    x.text("ows:AccessConstraints", "none");
    x.close("ows:ServiceIdentification");
    x.open("ows:ServiceProvider", &[]);
    x.text("ows:ProviderName", info.provider_name);
    x.empty("ows:ProviderSite", &[("xlink:href", info.provider_site)]);
    x.open("ows:ServiceContact", &[]);
    x.open("ows:ContactInfo", &[]);
    x.open("ows:Address", &[]);
    x.text("ows:ElectronicMailAddress", info.contact_email);
    x.close("ows:Address");
    x.close("ows:ContactInfo");
    x.close("ows:ServiceContact");
    x.close("ows:ServiceProvider");
}
