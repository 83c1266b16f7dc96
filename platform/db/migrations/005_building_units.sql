-- Buildings are drawn on the community schematic and drilled into floor by floor, unit (单元) by unit.
ALTER TABLE buildings ADD COLUMN units integer CHECK (units BETWEEN 1 AND 50);
