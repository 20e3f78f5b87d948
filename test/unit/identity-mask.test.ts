import { describe, expect, it } from "vitest";
import { maskIdentityInText, PROTECTED_DENOUNCER_NAME as HIDDEN } from "../../signaling/presenters/case";

const identity = ["Nguyễn Văn Hùng", "001234567890", "0912345678", "Thôn Đông, xã Hòa Bình"];
const mask = (text: string) => maskIdentityInText(text, identity);

describe("masking a protected identity in free text (review finding: only the stored spelling was masked)", () => {
  it("finds the name as typed: exact, without accents, in capitals, with doubled spaces, with decomposed accents", () => {
    expect(mask("Tôi là Nguyễn Văn Hùng, trú tại xã.")).toBe(`Tôi là ${HIDDEN}, trú tại xã.`);
    expect(mask("Toi la Nguyen Van Hung, tru tai xa.")).toBe(`Toi la ${HIDDEN}, tru tai xa.`);
    expect(mask("TÔI LÀ NGUYỄN  VĂN HÙNG.")).toBe(`TÔI LÀ ${HIDDEN}.`);
    expect(mask("Tôi là Nguyễn Văn Hùng.".normalize("NFD"))).toBe(`${"Tôi là ".normalize("NFD")}${HIDDEN}.`);
    expect(mask("Người ký: nguyen\tvan\nhung")).toBe(`Người ký: ${HIDDEN}`);
  });

  it("finds the CCCD and the phone with separators and the +84 / 84 forms", () => {
    expect(mask("CCCD 001 234 567 890 cấp năm 2021")).toBe(`CCCD ${HIDDEN} cấp năm 2021`);
    expect(mask("CCCD: 001.234.567.890")).toBe(`CCCD: ${HIDDEN}`);
    expect(mask("ĐT 0912 345 678 hoặc 0912-345-678")).toBe(`ĐT ${HIDDEN} hoặc ${HIDDEN}`);
    expect(mask("Gọi +84 912 345 678 hoặc 84912345678 hoặc (+84)912345678")).toBe(`Gọi ${HIDDEN} hoặc ${HIDDEN} hoặc ${HIDDEN}`);
  });

  it("finds the address without accents", () => {
    expect(mask("dia chi: thon dong, xa hoa binh")).toBe(`dia chi: ${HIDDEN}`);
  });

  it("survives emoji and other characters outside the BMP before the name (second review: the name stayed and the text doubled)", () => {
    expect(mask("🙏 Tôi là Nguyễn Văn Hùng, SĐT 0912345678 🙏")).toBe(`🙏 Tôi là ${HIDDEN}, SĐT ${HIDDEN} 🙏`);
    expect(mask("𝓧 🇻🇳 nguyen van hung")).toBe(`𝓧 🇻🇳 ${HIDDEN}`);
  });

  it("finds the name through invisible characters, full-width forms, dashes and underscores, a number after it, and Ð", () => {
    expect(mask("Tôi là Nguyễn\u200b Văn Hùng")).toBe(`Tôi là ${HIDDEN}`);
    expect(mask("Tôi là Nguy\u00adễn Văn Hùng")).toBe(`Tôi là ${HIDDEN}`);
    expect(mask("Ｎｇｕｙｅｎ Ｖａｎ Ｈｕｎｇ")).toBe(HIDDEN);
    expect(mask("Nguyễn-Văn-Hùng và Nguyễn_Văn_Hùng")).toBe(`${HIDDEN} và ${HIDDEN}`);
    expect(mask("Hùng1975: Nguyễn Văn Hùng1975")).toBe(`Hùng1975: ${HIDDEN}1975`);
    expect(maskIdentityInText("ÐỖ VĂN AN", ["Đỗ Văn An"])).toBe(HIDDEN);
    expect(mask("ĐT 0912 - 345 - 678, CCCD 001,234,567,890")).toBe(`ĐT ${HIDDEN}, CCCD ${HIDDEN}`);
    expect(mask("０９１２３４５６７８")).toBe(HIDDEN);
  });

  it("leaves other words and numbers alone: a name inside a longer word, a longer number, another person", () => {
    const text = "Ông Nguyễn Văn Hùngg và bà Trần Thị Lan; số 10912345678; hồ sơ 001234567890123.";
    expect(mask(text)).toBe(text);
    expect(maskIdentityInText("Bàn giao cho ban quản lý", ["An"])).toBe("Bàn giao cho ban quản lý");
  });

  it("keeps the rest of the text exactly, including other accents and line breaks", () => {
    expect(mask("Kính gửi UBND xã,\nTôi là Nguyen Van Hung.\nTrân trọng.")).toBe(`Kính gửi UBND xã,\nTôi là ${HIDDEN}.\nTrân trọng.`);
  });
});
