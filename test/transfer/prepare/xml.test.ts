/**
 * @module The metadata and properties files of formats.md §2.1–2.2: the shapes accepted (declaration,
 * comments, references, CDATA, empty elements) and each refusal with its line.
 */

import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { parseMetadataXml, parsePropertiesXml, XmlFileError } from "../../../src/transfer/prepare/xml.js";

describe("parseMetadataXml", () => {
  it("reads the documented shape, with a declaration, comments, references, CDATA and empty elements", () => {
    const text = [
      '\uFEFF<?xml version="1.0" encoding="UTF-8"?>',
      "<!-- written by hand -->",
      "<Metadata>",
      "  <DataSetName>SampleData</DataSetName>",
      "  <Owner>  Ada &amp; Bob &#x263A; &#65; </Owner>",
      "  <Note><![CDATA[a <b> c]]></Note>",
      "  <Empty/>",
      "  <Blank></Blank>",
      "</Metadata>",
      "",
    ].join("\n");
    assert.deepEqual(parseMetadataXml(text), {
      DataSetName: "SampleData",
      Owner: "Ada & Bob ☺ A",
      Note: "a <b> c",
      Empty: "",
      Blank: "",
    });
    assert.deepEqual(parseMetadataXml("<Metadata/>"), {});
  });

  const refusals: [string, string, RegExp][] = [
    ["another root", "<Properties/>", /line 1: the root element is <Properties>, not <Metadata>/],
    ["a DOCTYPE", '<!DOCTYPE x [<!ENTITY a "b">]><Metadata/>', /a DOCTYPE is not accepted/],
    ["an attribute", '<Metadata>\n<A x="1">v</A></Metadata>', /line 2: <A> takes no attributes/],
    ["nesting", "<Metadata>\n\n<A><B>v</B></A></Metadata>", /line 3: <A> holds an element/],
    ["a mismatched close", "<Metadata><A>v</B></Metadata>", /<\/B> closes <A>/],
    ["an unclosed root", "<Metadata><A>v</A>", /<Metadata> is never closed/],
    [
      "a bare &",
      "<Metadata><A>a & b</A></Metadata>",
      /'& b<\/A><\/Me' is not a character reference|is not a character reference/,
    ],
    ["text beside the elements", "<Metadata>loose</Metadata>", /text directly inside <Metadata>/],
    ["trailing content", "<Metadata/><Metadata/>", /something after <\/Metadata>/],
    [
      "a name that is not an identifier",
      "<Metadata>\n<a-b>v</a-b></Metadata>",
      /line 2: metadata name "a-b" is not an identifier/,
    ],
    ["a name twice", "<Metadata><A>1</A>\n<A>2</A></Metadata>", /line 2: <A> appears twice/],
    [
      "names differing in case",
      "<Metadata><A>1</A><a>2</a></Metadata>",
      /appears twice \(names ignore case\)/,
    ],
    ["a value over lines", "<Metadata><A>one\ntwo</A></Metadata>", /holds a control character/],
  ];
  for (const [name, text, message] of refusals) {
    it(`refuses ${name}`, () => {
      assert.throws(
        () => parseMetadataXml(text),
        (error: Error) => {
          assert.ok(error instanceof XmlFileError, String(error));
          assert.match(error.message, message);
          return true;
        },
      );
    });
  }
});

describe("parsePropertiesXml", () => {
  it("maps the properties an import sets and leaves out those the service writes", () => {
    const text = [
      "<Properties>",
      "  <Last-Modified>Thu, 01 Jan 2026 00:00:00 GMT</Last-Modified>",
      "  <Etag>0x8D</Etag>",
      "  <Content-Length>12</Content-Length>",
      "  <Content-Type>text/plain; charset=utf-8</Content-Type>",
      "  <Content-Encoding>gzip</Content-Encoding>",
      "  <Content-Language>en-US</Content-Language>",
      "  <Cache-Control>max-age=3600</Cache-Control>",
      "</Properties>",
    ].join("\n");
    assert.deepEqual(parsePropertiesXml(text), {
      contentType: "text/plain; charset=utf-8",
      contentEncoding: "gzip",
      contentLanguage: "en-US",
      cacheControl: "max-age=3600",
    });
  });
  it("refuses Content-MD5, an unknown property, a property twice", () => {
    assert.throws(
      () => parsePropertiesXml("<Properties><Content-MD5>x</Content-MD5></Properties>"),
      /Content-MD5 is computed/,
    );
    assert.throws(
      () => parsePropertiesXml("<Properties>\n<Color>red</Color></Properties>"),
      /line 2: <Color> is not a blob property an import sets/,
    );
    assert.throws(
      () =>
        parsePropertiesXml(
          "<Properties><Content-Type>a</Content-Type><Content-Type>b</Content-Type></Properties>",
        ),
      /<Content-Type> appears twice/,
    );
  });
});
