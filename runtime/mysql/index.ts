// green-ts/mysql: the MySQL layer (DESIGN.md "MySQL").
export {};
