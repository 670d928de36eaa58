// Read a .vcf or .ics file with ical.js (the parser of Mozilla's calendar and contacts
// code) and print, as JSON on stdout, what it understood. Mutual's tests compare this
// with what they exported: an independent reader, not Mutual's own parser.
//
// Usage: node check.mjs FILE        (exit 1 with the parser's message on stderr if it fails)
import { readFileSync } from "node:fs";
import ICAL from "ical.js";

function roots(text) {
  const parsed = ICAL.parse(text);
  // One root component comes back as a jCal array, several as an array of them.
  const list = typeof parsed[0] === "string" ? [parsed] : parsed;
  return list.map((jcal) => new ICAL.Component(jcal));
}

function values(component, name) {
  return component.getAllProperties(name).flatMap((p) => p.getValues()).map(String);
}

function card(vcard) {
  const n = vcard.getFirstPropertyValue("n");
  const org = vcard.getFirstPropertyValue("org");
  return {
    version: String(vcard.getFirstPropertyValue("version") ?? ""),
    fn: String(vcard.getFirstPropertyValue("fn") ?? ""),
    n: Array.isArray(n) ? n.map(String) : n == null ? [] : String(n).split(";"),
    org: Array.isArray(org) ? org.map(String) : org == null ? [] : [String(org)],
    title: String(vcard.getFirstPropertyValue("title") ?? ""),
    emails: values(vcard, "email"),
    tels: values(vcard, "tel"),
    urls: values(vcard, "url"),
    note: String(vcard.getFirstPropertyValue("note") ?? ""),
    uid: String(vcard.getFirstPropertyValue("uid") ?? ""),
    rev: String(vcard.getFirstPropertyValue("rev") ?? ""),
    categories: values(vcard, "categories"),
    offers: String(vcard.getFirstPropertyValue("x-mutual-offers") ?? ""),
    seeking: String(vcard.getFirstPropertyValue("x-mutual-seeking") ?? ""),
  };
}

function event(vevent) {
  const ev = new ICAL.Event(vevent);
  const start = ev.startDate;
  return {
    uid: ev.uid,
    summary: ev.summary,
    description: ev.description ?? "",
    start: start.toString(),
    all_day: start.isDate,
    end: ev.endDate ? ev.endDate.toString() : "",
    dtstamp: String(vevent.getFirstPropertyValue("dtstamp") ?? ""),
    alarms: vevent.getAllSubcomponents("valarm").map((alarm) => {
      const trigger = alarm.getFirstPropertyValue("trigger");
      const fires = start.clone();
      fires.isDate = false; // an all-day start is midnight local time for its alarm
      if (trigger instanceof ICAL.Duration) fires.addDuration(trigger);
      return {
        action: String(alarm.getFirstPropertyValue("action") ?? ""),
        trigger: String(trigger),
        fires: trigger instanceof ICAL.Duration ? fires.toString() : String(trigger),
        description: String(alarm.getFirstPropertyValue("description") ?? ""),
      };
    }),
  };
}

const file = process.argv[2];
if (!file) {
  console.error("usage: node check.mjs FILE");
  process.exit(2);
}
try {
  const found = roots(readFileSync(file, "utf8"));
  const calendars = found.filter((c) => c.name === "vcalendar");
  console.log(JSON.stringify({
    cards: found.filter((c) => c.name === "vcard").map(card),
    calendars: calendars.map((cal) => ({
      prodid: String(cal.getFirstPropertyValue("prodid") ?? ""),
      version: String(cal.getFirstPropertyValue("version") ?? ""),
      events: cal.getAllSubcomponents("vevent").map(event),
      todos: cal.getAllSubcomponents("vtodo").length,
    })),
  }));
} catch (error) {
  console.error(`ical.js could not read ${file}: ${error.message}`);
  process.exit(1);
}
