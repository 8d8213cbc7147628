// Placeholder until the stores layer lands in this same change series.
export default function setup(): void {}
