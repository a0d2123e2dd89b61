// green-ts/transformer: the ts-patch entry (DESIGN.md "Build").
export {};
