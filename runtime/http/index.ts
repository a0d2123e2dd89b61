// green-ts/http: the HTTP adapter (DESIGN.md "HTTP").
export {};
