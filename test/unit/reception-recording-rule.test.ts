import { describe, expect, it } from "vitest";
import { loadConfig } from "../../signaling/config";
import { recordingRefusal } from "../../signaling/domain/reception";

describe("whether a reception may be recorded", () => {
  it("needs the citizen's consent", () => {
    expect(recordingRefusal({ consentGiven: null, petitionKind: "complaint" })).toBe("CONSENT_REQUIRED");
    expect(recordingRefusal({ consentGiven: false, petitionKind: "complaint" })).toBe("CONSENT_REQUIRED");
    expect(recordingRefusal({ consentGiven: true, petitionKind: "complaint" })).toBeNull();
  });

  it("never records a denunciation unless the province turned it on, and then still only with consent", () => {
    expect(recordingRefusal({ consentGiven: true, petitionKind: "denunciation" })).toBe("RECORDING_NOT_ALLOWED");
    expect(recordingRefusal({ consentGiven: true, petitionKind: "denunciation" }, { recordDenunciations: true })).toBeNull();
    expect(recordingRefusal({ consentGiven: false, petitionKind: "denunciation" }, { recordDenunciations: true })).toBe("CONSENT_REQUIRED");
  });

  it("waits until someone said what the visit is about: a later book entry would come too late", () => {
    expect(recordingRefusal({ consentGiven: true, petitionKind: null })).toBe("RECORDING_KIND_UNDECLARED");
    expect(recordingRefusal({ consentGiven: true, petitionKind: null }, { recordDenunciations: true })).toBe("RECORDING_KIND_UNDECLARED");
  });

  it("is off for denunciations by default in the configuration", () => {
    expect(loadConfig({}).reception.recordDenunciations).toBe(false);
    expect(loadConfig({ RECEPTION_RECORD_DENUNCIATIONS: "true" }).reception.recordDenunciations).toBe(true);
  });
});
