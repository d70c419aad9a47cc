extension Knowledge {
    /// Plants and animals.
    static let lifeTopics: [Topic] = [
        Topic(
            name: "photosynthesis", area: .life,
            keywords: ["photosynthesis", "chlorophyll", "leaf", "leaves"],
            technical: [
                "Photosynthesis is the process by which plants, algae and some bacteria convert light energy into chemical energy stored in glucose.",
                "Chlorophyll in the chloroplasts absorbs mainly red and blue light.",
                "Carbon dioxide and water are converted into glucose and oxygen, which is released as a by-product.",
                "The light-dependent reactions produce ATP and NADPH, which drive the Calvin cycle.",
            ],
            simple: [
                "Photosynthesis is how plants make their own food from sunlight.",
                "A plant takes in water through its roots and air through tiny holes in its leaves.",
                "The green stuff in leaves catches sunlight and uses it to turn the water and air into sugar.",
                "The sugar is the plant's food, and it helps the plant grow.",
                "While it does this, the plant gives off oxygen, the air we need to breathe.",
            ],
            analogies: [
                Analogy("a leaf", "a tiny kitchen that cooks sugar using sunlight as its stove"),
                Analogy("the green stuff in leaves", "a solar panel that catches light"),
            ],
            facts: [
                Fact("Plants make their own food from sunlight.", ["food", "sunlight"]),
                Fact("Plants use water and air to make sugar.", ["sugar"]),
                Fact("Plants give off oxygen that we breathe.", ["oxygen"]),
                Fact("The green color in leaves catches the light.", ["green"]),
            ],
            misconception: Misconception(
                claim: "Plants get their food from the soil.",
                triggers: ["food from the soil"],
                correction: "Plants make their food from air, water and light; soil gives them only water and a few minerals."
            ),
            childQuestion: "What do you think would happen to a plant if you kept it in a dark cupboard for a week?",
            storyIdea: "a little seed that wanted to reach the sun",
            howTo: HowTo(
                questions: ["How can I grow a bean plant at home?", "How can I watch a seed grow?"],
                steps: [
                    "Fold a wet paper towel and put it inside a clear jar.",
                    "Push a bean seed between the towel and the glass.",
                    "Put the jar near a sunny window.",
                    "Keep the towel wet every day.",
                    "Watch the root grow down and the green shoot grow up toward the light.",
                ]
            )
        ),
        Topic(
            name: "bees", isPlural: true, area: .life,
            keywords: ["bee", "honey", "hive", "pollen"],
            technical: [
                "Honeybees are eusocial insects that live in colonies of tens of thousands of workers, drones and a single queen.",
                "Foragers collect nectar and pollen and communicate the location of food sources with the waggle dance.",
                "Nectar is converted into honey by enzymatic activity and evaporation in the hive.",
                "Bees are major pollinators of flowering plants and crops.",
            ],
            simple: [
                "Bees are small flying insects that live together in a home called a hive.",
                "They visit flowers to drink a sweet juice called nectar.",
                "Back at the hive, they turn the nectar into honey.",
                "When a bee visits flowers, yellow dust called pollen sticks to it and moves from flower to flower.",
                "That helps the flowers make seeds and fruit.",
            ],
            analogies: [
                Analogy("a bee hive", "a busy town where every bee has a job"),
                Analogy("a bee carrying pollen", "a mail carrier taking letters from flower to flower"),
            ],
            facts: [
                Fact("Bees make honey from nectar.", ["nectar"]),
                Fact("Bees carry pollen from flower to flower.", ["pollen", "flower"]),
                Fact("A hive has one queen bee.", ["queen"]),
                Fact("Bees dance to tell each other where flowers are.", ["dance"]),
            ],
            misconception: Misconception(
                claim: "All bees make honey and live in hives.",
                triggers: ["all bees make honey"],
                correction: "Most kinds of bees live alone and do not make honey."
            ),
            childQuestion: "Which flowers near your home do you think the bees like best?",
            storyIdea: "a young bee on her first trip out of the hive",
            howTo: HowTo(
                questions: ["How can I help bees in my garden?", "How can I make my garden good for bees?"],
                steps: [
                    "Plant flowers of many colors, like lavender and sunflowers.",
                    "Choose flowers that bloom at different times of the year.",
                    "Put out a shallow dish of water with a few stones for bees to land on.",
                    "Leave a small wild corner with long grass.",
                    "Never spray poison on the flowers.",
                ]
            )
        ),
        Topic(
            name: "dinosaurs", isPlural: true, area: .life,
            keywords: ["dinosaur", "reptile", "extinct", "asteroid"],
            technical: [
                "Dinosaurs are a clade of reptiles that dominated terrestrial ecosystems during the Mesozoic Era.",
                "Non-avian dinosaurs became extinct about sixty six million years ago, most likely after an asteroid impact.",
                "Birds are the living descendants of theropod dinosaurs.",
                "Dinosaurs ranged from chicken-sized predators to sauropods more than thirty metres long.",
            ],
            simple: [
                "Dinosaurs were animals that lived on Earth a very, very long time ago.",
                "Some were as small as a chicken, and some were longer than three buses.",
                "Some ate plants, and some ate other animals.",
                "Most dinosaurs died out about sixty six million years ago, after a huge rock from space hit the Earth.",
                "Birds are the great great grandchildren of dinosaurs.",
            ],
            analogies: [
                Analogy("a long neck dinosaur", "a giraffe as long as a row of buses"),
                Analogy("a scientist putting dinosaur bones together", "someone solving a puzzle when half the pieces are lost"),
            ],
            facts: [
                Fact("Dinosaurs lived millions of years ago.", ["million"]),
                Fact("A huge rock from space helped end the dinosaurs.", ["rock", "space"]),
                Fact("Birds come from dinosaurs.", ["bird"]),
                Fact("Some dinosaurs ate plants and some ate meat.", ["plant"]),
            ],
            misconception: Misconception(
                claim: "Dinosaurs and people lived at the same time.",
                triggers: ["people lived at the same time"],
                correction: "The last big dinosaurs died out millions of years before the first people."
            ),
            childQuestion: "If you could meet one dinosaur, which one would you pick and why?",
            storyIdea: "a baby dinosaur who could not roar"
        ),
        Topic(
            name: "butterflies", isPlural: true, area: .life,
            keywords: ["butterfl", "caterpillar", "chrysalis", "cocoon"],
            technical: [
                "Butterflies are insects of the order Lepidoptera that undergo complete metamorphosis.",
                "The life cycle proceeds from egg to larva, the caterpillar, to pupa, the chrysalis, to adult.",
                "Inside the chrysalis most larval tissue is broken down and reorganised into adult structures.",
                "Wing scales produce color by pigments and by the interference of light.",
            ],
            simple: [
                "A butterfly is an insect with big, colorful wings.",
                "It starts life as a tiny egg on a leaf.",
                "A caterpillar hatches out and eats and eats until it is big.",
                "Then it makes a hard shell called a chrysalis and changes inside it.",
                "After a few weeks, a butterfly comes out and flies away.",
            ],
            analogies: [
                Analogy("a chrysalis", "a sleeping bag where the caterpillar is rebuilt"),
                Analogy("the wings of a butterfly", "roof tiles made of tiny colored scales"),
            ],
            facts: [
                Fact("A butterfly starts life as an egg.", ["egg"]),
                Fact("A caterpillar grows into a butterfly.", ["caterpillar"]),
                Fact("A caterpillar changes inside a chrysalis.", ["chrysalis"]),
                Fact("Butterfly wings are covered in tiny scales.", ["scale"]),
            ],
            misconception: Misconception(
                claim: "Touching a butterfly's wings always makes it unable to fly.",
                triggers: ["always makes it unable to fly"],
                correction: "A gentle touch rubs off some scales, which is best avoided, but it rarely stops a butterfly from flying."
            ),
            childQuestion: "What color would your wings be if you were a butterfly?",
            storyIdea: "a hungry caterpillar who dreamed of flying"
        ),
        Topic(
            name: "bats", isPlural: true, area: .life,
            keywords: ["bat", "echolocation", "nocturnal", "roost"],
            technical: [
                "Bats are the only mammals capable of sustained powered flight.",
                "Many species navigate and hunt by echolocation, emitting high-frequency calls and interpreting the returning echoes.",
                "Most bats are nocturnal and roost during the day in caves, trees or buildings.",
                "Fruit bats pollinate plants and disperse seeds, while insect-eating bats control insect populations.",
            ],
            simple: [
                "Bats are furry animals that can fly.",
                "They sleep in the day, hanging upside down, and come out at night.",
                "Many bats find their way in the dark by making squeaks and listening to the echoes.",
                "This is called echolocation.",
                "One bat can eat hundreds of bugs in a single night.",
            ],
            analogies: [
                Analogy("echolocation", "shouting in a big cave and listening to hear where the walls are"),
                Analogy("a bat's wing", "a hand with very long fingers and skin stretched between them"),
            ],
            facts: [
                Fact("Bats are the only mammals that can really fly.", ["mammal"]),
                Fact("Bats find their way using echoes.", ["echo"]),
                Fact("Bats sleep upside down in the day.", ["upside down"]),
                Fact("Bats eat lots of bugs.", ["bug"]),
            ],
            misconception: Misconception(
                claim: "Bats are blind and cannot see at all.",
                triggers: ["bats are blind"],
                correction: "Bats can see, and many see quite well; they use echoes as well as their eyes."
            ),
            childQuestion: "Can you close your eyes and find where a friend is just by listening?",
            storyIdea: "a little bat who was afraid of the dark"
        ),
        Topic(
            name: "camouflage", area: .life,
            keywords: ["camouflage", "blend", "hide", "disguise"],
            technical: [
                "Camouflage is the use of coloration, pattern or form that makes an organism difficult to detect against its background.",
                "Cryptic coloration matches the background, while disruptive patterns break up the outline of the body.",
                "Cephalopods such as octopuses change color rapidly using pigment cells called chromatophores.",
                "Mimicry, in which an organism resembles another species or object, is a related defence.",
            ],
            simple: [
                "Camouflage is a way that animals hide by looking like the things around them.",
                "A green frog on a green leaf is hard to spot.",
                "Some animals have spots or stripes that break up their shape.",
                "An octopus can change its color in a second to match the rocks.",
                "Camouflage helps animals hide from hunters, and helps hunters sneak up on food.",
            ],
            analogies: [
                Analogy("camouflage", "playing hide and seek while wearing clothes the same color as the wall"),
                Analogy("a stick insect", "a twig that has legs"),
            ],
            facts: [
                Fact("Camouflage helps animals hide.", ["hide"]),
                Fact("An octopus can change its color.", ["octopus"]),
                Fact("Stripes and spots can break up an animal's shape.", ["stripe"]),
                Fact("Hunters use camouflage to sneak up on food.", ["sneak"]),
            ],
            misconception: Misconception(
                claim: "Chameleons change color mainly to match what they sit on.",
                triggers: ["chameleons change color mainly"],
                correction: "Chameleons change color mostly to show their mood and to warm up or cool down."
            ),
            childQuestion: "What would you wear to hide in your garden so nobody could find you?",
            storyIdea: "an octopus who played hide and seek"
        ),
        Topic(
            name: "food chains", isPlural: true, area: .life,
            keywords: ["food chain", "predator", "prey", "producer"],
            technical: [
                "A food chain is a linear sequence of organisms through which energy and nutrients pass as one organism consumes another.",
                "Producers such as plants fix energy from sunlight; primary consumers eat producers and secondary consumers eat primary consumers.",
                "Only about ten percent of the energy at one trophic level passes to the next.",
                "Decomposers recycle nutrients from dead organic matter back into the ecosystem.",
            ],
            simple: [
                "A food chain shows who eats whom in nature.",
                "It starts with plants, which make food from sunlight.",
                "A rabbit eats the grass, and a fox eats the rabbit.",
                "Animals that hunt are called predators, and the animals they eat are called prey.",
                "When living things die, worms and tiny germs break them down and feed the soil.",
            ],
            analogies: [
                Analogy("a food chain", "a line of people passing a bucket of energy along"),
                Analogy("worms in a food chain", "the clean up team that puts the food back into the soil"),
            ],
            facts: [
                Fact("Food chains start with plants.", ["plant"]),
                Fact("Predators hunt other animals.", ["predator"]),
                Fact("Animals that are hunted are called prey.", ["prey"]),
                Fact("Worms and germs break down dead things.", ["worm"]),
            ],
            misconception: Misconception(
                claim: "Big animals are always at the top of the food chain.",
                triggers: ["big animals are always at the top"],
                correction: "Size does not decide it; some huge whales eat tiny shrimp, and small hawks hunt bigger animals."
            ),
            childQuestion: "Can you make a food chain with three animals that live near you?",
            storyIdea: "a fox, a rabbit and a patch of grass"
        ),
        Topic(
            name: "sharks", isPlural: true, area: .life,
            keywords: ["shark", "fin", "gill", "cartilage"],
            technical: [
                "Sharks are cartilaginous fishes with skeletons made of cartilage rather than bone.",
                "They breathe by extracting oxygen from water that flows over their gills.",
                "Sharks detect the weak electric fields of prey using sensory organs called ampullae of Lorenzini.",
                "Many species continuously replace their teeth throughout their lives.",
            ],
            simple: [
                "Sharks are big fish that live in the sea.",
                "Their bodies are not made of bone, but of bendy stuff like the tip of your nose.",
                "They breathe through slits on their sides called gills.",
                "Sharks lose teeth all the time, and new ones grow in.",
                "Most sharks are shy and do not want to bother people.",
            ],
            analogies: [
                Analogy("a shark's teeth", "a row of spare pencils, where a new one moves up when one breaks"),
                Analogy("a shark's skin", "sandpaper made of tiny teeth"),
            ],
            facts: [
                Fact("Sharks are fish.", ["fish"]),
                Fact("Shark bodies are made of bendy cartilage, not bone.", ["bone"]),
                Fact("Sharks breathe with gills.", ["gill"]),
                Fact("Sharks grow new teeth all their lives.", ["teeth"]),
            ],
            misconception: Misconception(
                claim: "Sharks hunt people on purpose whenever they can.",
                triggers: ["hunt people on purpose"],
                correction: "Shark bites are rare, and most happen when a shark mistakes a person for a seal."
            ),
            childQuestion: "How many new teeth do you think a shark grows in its whole life?",
            storyIdea: "a shy shark who wanted to make friends"
        ),
    ]
}
