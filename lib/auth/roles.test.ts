import { describe, expect, it } from "vitest";
import { navigationFor } from "./navigation";
import { hasPermission, parseRole, PERMISSIONS, ROLES, type TPermission } from "./roles";

describe("roles", () => {
  it("are cumulative: each role holds every permission of the roles below it", () => {
    for (const permission of Object.keys(PERMISSIONS) as TPermission[]) {
      const holders = ROLES.map((role) => hasPermission(role, permission));
      const first = holders.indexOf(true);
      expect(first).toBeGreaterThanOrEqual(0);
      expect(holders.slice(first).every(Boolean)).toBe(true);
      expect(holders.slice(0, first).some(Boolean)).toBe(false);
    }
  });

  it("match the product's definition of each role", () => {
    expect(hasPermission("ANNOTATOR", "pairs:review")).toBe(true);
    expect(hasPermission("ANNOTATOR", "pairs:edit")).toBe(true);
    expect(hasPermission("ANNOTATOR", "data:import")).toBe(false);
    expect(hasPermission("RESEARCHER", "data:import")).toBe(true);
    expect(hasPermission("RESEARCHER", "distill:launch")).toBe(true);
    expect(hasPermission("RESEARCHER", "versions:freeze")).toBe(true);
    expect(hasPermission("RESEARCHER", "reviews:resolve")).toBe(false);
    expect(hasPermission("LEAD", "reviews:resolve")).toBe(true);
    expect(hasPermission("LEAD", "leaderboards:manage")).toBe(true);
    expect(hasPermission("LEAD", "users:manage")).toBe(false);
    expect(hasPermission("ADMIN", "users:manage")).toBe(true);
  });

  it("parse case-insensitively and reject unknown names with the list of valid ones", () => {
    expect(parseRole("lead")).toBe("LEAD");
    expect(parseRole(" Researcher ")).toBe("RESEARCHER");
    expect(() => parseRole("owner")).toThrow('Unknown role "owner": expected one of annotator, researcher, lead, admin');
  });

  it("give each role the navigation it may use", () => {
    const labels = (role: (typeof ROLES)[number]) => navigationFor(role).map((item) => item.label);
    expect(labels("ANNOTATOR")).toEqual(["Pairs", "Queue", "Datasets", "Coverage", "Knowledge base", "Experiments", "Leaderboards"]);
    expect(labels("RESEARCHER")).toEqual(["Pairs", "Queue", "Datasets", "Coverage", "Knowledge base", "Experiments", "Leaderboards", "Distill", "Jobs"]);
    expect(labels("LEAD")).toEqual(["Pairs", "Queue", "Datasets", "Coverage", "Knowledge base", "Experiments", "Leaderboards", "Distill", "Jobs", "Conflicts"]);
    expect(labels("ADMIN")).toEqual(["Pairs", "Queue", "Datasets", "Coverage", "Knowledge base", "Experiments", "Leaderboards", "Distill", "Jobs", "Conflicts", "Users"]);
  });
});
