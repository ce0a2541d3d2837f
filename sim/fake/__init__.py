"""The Faker-seeded directory: the only module family that imports Faker."""
