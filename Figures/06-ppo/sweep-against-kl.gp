# Reward-model score and gold score against KL to SFT along each run (running means of three iterations)
# Render from this directory: gnuplot sweep-against-kl.gp  (writes sweep-against-kl.png)
if (!exists("outfile")) outfile = 'sweep-against-kl.png'
set terminal pngcairo size 1600,1102 noenhanced font 'Sans,11'
set output outfile
set multiplot layout 2,2 title 'Reward-model score and gold score against KL to SFT along each run (running means of three iterations)'
set title 'kl_coef 0, 30 iterations'
set xlabel 'KL to SFT (batch mean) (nats per answer)'
set ylabel 'score'
set key outside below center horizontal Left reverse samplen 2 maxcols 2 height 1
set grid
set logscale x
set format x '%g'
set xrange [0.0311167726:100.661809]
set yrange [-0.679972093:6.6132441]
set style fill transparent solid 0.2 noborder
plot 'sweep-against-kl.dat' index 0 using 1:2 with lines lw 2 lc 1 title 'reward model', \
     'sweep-against-kl.dat' index 1 using 1:2 with lines lw 2 lc 2 title 'gold judge'
reset
set title 'kl_coef 0.02, 12 iterations'
set xlabel 'KL to SFT (batch mean) (nats per answer)'
set ylabel 'score'
set key outside below center horizontal Left reverse samplen 2 maxcols 2 height 1
set grid
set xrange [0.0424294948:2.72238317]
set yrange [-0.581292173:6.32321202]
set style fill transparent solid 0.2 noborder
plot 'sweep-against-kl.dat' index 2 using 1:2 with lines lw 2 lc 1 title 'reward model', \
     'sweep-against-kl.dat' index 3 using 1:2 with lines lw 2 lc 2 title 'gold judge'
reset
set title 'kl_coef 0.05, 12 iterations'
set xlabel 'KL to SFT (batch mean) (nats per answer)'
set ylabel 'score'
set key outside below center horizontal Left reverse samplen 2 maxcols 2 height 1
set grid
set xrange [0.0315759938:2.1642408]
set yrange [-0.600241699:6.1802908]
set style fill transparent solid 0.2 noborder
plot 'sweep-against-kl.dat' index 4 using 1:2 with lines lw 2 lc 1 title 'reward model', \
     'sweep-against-kl.dat' index 5 using 1:2 with lines lw 2 lc 2 title 'gold judge'
reset
set title 'kl_coef 0.2, 12 iterations'
set xlabel 'KL to SFT (batch mean) (nats per answer)'
set ylabel 'score'
set key outside below center horizontal Left reverse samplen 2 maxcols 2 height 1
set grid
set xrange [0.0448064731:0.901435201]
set yrange [-0.786187193:6.2081604]
set style fill transparent solid 0.2 noborder
plot 'sweep-against-kl.dat' index 6 using 1:2 with lines lw 2 lc 1 title 'reward model', \
     'sweep-against-kl.dat' index 7 using 1:2 with lines lw 2 lc 2 title 'gold judge'
unset multiplot
